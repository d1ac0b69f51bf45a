/**
 * The renderer's watch engine: plays a remote participant's hang broadcast (catalog.json + legacy-container
 * video and audio tracks) from a `Moq.Broadcast.Consumer` onto a video element (or a canvas) and the speakers.
 *
 * - {@link RemotePlayer}: one per remote broadcast (`camera`, `screen`); state, stats, level.
 * - {@link audioOutput}: the shared AudioContext; `resume()` after a gesture when blocked, `setSpeaker()`.
 *
 * @module
 */
export { RemotePlayer, type RemotePlayerInit } from "./remote-player.ts";
export { videoElementSupported } from "./video-surface.ts";
export { audioOutput, AudioOutput, type AudioOutputState } from "./audio-output.ts";
export type { AudioStatus, CatalogStatus, PlayerState, PlayerStats, VideoStatus } from "./types.ts";
