/**
 * The renderer's publish engine: camera, microphone and screen captured with getUserMedia /
 * getDisplayMedia, encoded with WebCodecs (H.264 as avc3 Annex B, else VP8, else VP9; Opus) and
 * published as hang broadcasts (`catalog.json` + legacy-container renditions) on `@moq/net` producers.
 * Framework-agnostic: the UI drives {@link LocalMedia} and reads its state, level and stats.
 *
 * ```ts
 * const media = new LocalMedia({ publish: (name, producer) => mediaLink.publish(name, producer) });
 * media.onDidChangeState((s) => store.localMediaChanged(s));
 * media.onDidReport((r) => store.localMediaReported(r));
 * await media.start({ camera: true, microphone: true });
 * video.srcObject = media.preview ?? null;           // re-read after each state change
 * await media.setMicrophone(false);                  // audio/opus leaves the catalog
 * await media.startScreen(await navigator.mediaDevices.getDisplayMedia({ video: true }));
 * ```
 *
 * Broadcasts: `camera` (`video/<codec>-360p`, `video/<codec>-720p` — or the capture's own height when
 * smaller — and `audio/opus`) and `screen` (`video/<codec>-screen`, plus `audio/opus` when the display
 * stream has audio). Timestamps are capture time in µs since the Unix epoch. Encoders run only while
 * their rendition has a subscriber.
 *
 * @module
 */
export { LocalMedia, type LocalMediaInit, type StartOptions } from "./local-media.ts";
export type { DeviceState, LocalMediaState, MediaReport } from "./state.ts";
export type { BroadcastName, BroadcastStats, PublishStats, RenditionStats } from "./stats.ts";
export type { DeviceKind } from "./devices.ts";
export type { VideoCodecKind } from "./codec.ts";
