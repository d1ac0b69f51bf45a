/**
 * The renderer's publish engine: camera, microphone and screen captured with getUserMedia /
 * getDisplayMedia, encoded with WebCodecs (H.264 avc3 Annex B, else VP8, else VP9; Opus) and published
 * as hang broadcasts (`catalog.json` + legacy-container renditions) on `@moq/net` producers.
 * Framework-agnostic: the UI drives {@link LocalMedia} and reads its state, level and stats.
 *
 * @module
 */
export { LocalMedia, type LocalMediaInit, type StartOptions } from "./local-media.ts";
export type { DeviceState, LocalMediaState, MediaReport } from "./state.ts";
export type { BroadcastName, BroadcastStats, PublishStats, RenditionStats } from "./stats.ts";
export type { DeviceKind } from "./devices.ts";
export type { VideoCodecKind } from "./codec.ts";
