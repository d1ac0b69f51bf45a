/**
 * `MediaStreamTrackProcessor` (Chromium's breakout box) turns a capture track into a stream of VideoFrame or
 * AudioData. TypeScript's DOM library does not declare it, and a global declaration would clash with any
 * other module that declares it too, so it is reached through this typed accessor.
 */

interface TrackProcessor<F> {
  readonly readable: ReadableStream<F>;
}
type TrackProcessorConstructor = new <F>(init: { track: MediaStreamTrack; maxBufferSize?: number }) => TrackProcessor<F>;

/** The frames of a capture track, as a stream; throws where the browser has no MediaStreamTrackProcessor. */
export function readFrames<F extends VideoFrame | AudioData>(track: MediaStreamTrack): ReadableStream<F> {
  const Processor = (globalThis as { MediaStreamTrackProcessor?: TrackProcessorConstructor }).MediaStreamTrackProcessor;
  if (Processor === undefined) throw new Error("MediaStreamTrackProcessor is not available in this browser");
  return new Processor<F>({ track }).readable;
}
