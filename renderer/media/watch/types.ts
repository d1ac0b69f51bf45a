/** The state and stats a {@link RemotePlayer} exposes to the UI. */

/** The catalog as last read: not yet, valid, rejected (nothing is shown), or the broadcast ended. */
export type CatalogStatus = "waiting" | "ok" | "invalid" | "ended";

/** Video: no video section (camera off), waiting for the first decoded frame, playing, or undecodable. */
export type VideoStatus =
  | { kind: "off" }
  | { kind: "starting"; rendition: string }
  | { kind: "playing"; rendition: string; width: number; height: number }
  | { kind: "unsupported"; codecs: string[] };

/** Audio: no audio section (muted), starting, playing, held by the autoplay policy, or undecodable. */
export type AudioStatus =
  | { kind: "muted" }
  | { kind: "starting"; rendition: string }
  | { kind: "playing"; rendition: string }
  | { kind: "blocked"; rendition: string }
  | { kind: "unsupported"; codecs: string[] };

/** Everything the tile needs to pick what to draw; changes rarely, so it is pushed. */
export interface PlayerState {
  catalog: CatalogStatus;
  video: VideoStatus;
  audio: AudioStatus;
}

/** Numbers for the stats overlay; cheap to compute, meant to be polled (e.g. once a second). */
export interface PlayerStats {
  videoCodec: string | undefined;
  rendition: string | undefined;
  width: number;
  height: number;
  decodedFps: number;
  paintedFps: number;
  /** Media bytes received per second, video and audio, ×8. */
  receiveBitsPerSecond: number;
  /**
   * Latest painted frame: wall clock now − its capture timestamp. Exact on one machine; between
   * machines it also contains the offset between their clocks.
   */
  delayMs: number | undefined;
  audioCodec: string | undefined;
  /** Capture to loudspeaker for the sample being heard now (same clock caveat as delayMs). */
  audioDelayMs: number | undefined;
  /** Audio buffered in the playback worklet. */
  jitterBufferMs: number;
  /** What the jitter buffer aims for now: it follows the spread of the audio's transit times. */
  jitterTargetMs: number;
  audioUnderruns: number;
  /** Sound made up to fill underruns (the last pitch period repeated, fading), instead of silence. */
  audioConcealedMs: number;
  /** Audio skipped to hold the live edge. */
  audioDroppedMs: number;
  /** Peak of the samples the worklet output lately (0 when silent). */
  audioOutputPeak: number;
  framesDecoded: number;
  /** Video frames discarded unseen: live-edge skips, superseded before painting, or undecodable. */
  framesDropped: number;
  /** Times the video reader jumped ahead to a newer keyframe because playback had fallen behind. */
  liveEdgeSkips: number;
  /** Frames that were not valid legacy container framing. */
  badFrames: number;
  decoderErrors: number;
  /** Catalog versions rejected by validation. */
  badCatalogs: number;
}
