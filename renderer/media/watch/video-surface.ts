/**
 * Where the painter puts a decoded frame: a `<video>` element fed through a MediaStreamTrackGenerator
 * (Chromium and Electron), or a 2D canvas anywhere else.
 *
 * Why a video element where we can: it hands YUV frames to the compositor the way a WebRTC `<video>` does,
 * while `drawImage(VideoFrame)` on a canvas converts and scales every frame on the page's main thread. Without
 * GPU rasterization that was the largest single cost of a call page (bench app-media: 13 % of the main thread
 * for one 360p tile). Frames are still chosen and timed by the painter, so lip sync and live-edge skipping
 * are the same on both surfaces.
 */

/** A place to show frames; `draw` takes ownership of the frame (it is closed once shown or dropped). */
export interface VideoSurface {
  draw(frame: VideoFrame): void;
  /** Stop showing and release what the surface holds (a video element is emptied; a canvas keeps its picture). */
  close(): void;
}

/** Draw onto `canvas`, sized to each frame. */
export function canvasSurface(canvas: HTMLCanvasElement): VideoSurface {
  const ctx = canvas.getContext("2d", { alpha: false });
  return {
    draw(frame) {
      if (ctx !== null) {
        if (canvas.width !== frame.displayWidth || canvas.height !== frame.displayHeight) {
          canvas.width = frame.displayWidth;
          canvas.height = frame.displayHeight;
        }
        ctx.drawImage(frame, 0, 0, frame.displayWidth, frame.displayHeight);
      }
      frame.close();
    },
    close() {},
  };
}

/** Chromium's generator of a video track from VideoFrames (not in the DOM typings: a Chromium extension). */
interface TrackGenerator extends MediaStreamTrack {
  readonly writable: WritableStream<VideoFrame>;
}
type TrackGeneratorCtor = new (init: { kind: "video" }) => TrackGenerator;

function generatorCtor(): TrackGeneratorCtor | undefined {
  return (globalThis as { MediaStreamTrackGenerator?: TrackGeneratorCtor }).MediaStreamTrackGenerator;
}

/** Whether {@link videoElementSurface} works here. */
export function videoElementSupported(): boolean {
  return generatorCtor() !== undefined;
}

/** Show frames in `video` (its own size follows the frames); undefined where there is no track generator. */
export function videoElementSurface(video: HTMLVideoElement): VideoSurface | undefined {
  const Generator = generatorCtor();
  if (Generator === undefined) return undefined;
  const track = new Generator({ kind: "video" });
  const writer = track.writable.getWriter();
  video.srcObject = new MediaStream([track]);
  void video.play().catch(() => undefined);
  let closed = false;
  return {
    draw(frame) {
      // The painter already paces frames; one still waiting in the track means the page is behind, and
      // a newer frame replaces it rather than queueing.
      if (closed || writer.desiredSize === null || writer.desiredSize <= 0) {
        frame.close();
        return;
      }
      // The generator closes the frame once it has taken it.
      writer.write(frame).catch(() => frame.close());
    },
    close() {
      if (closed) return;
      closed = true;
      void writer.close().catch(() => undefined);
      track.stop();
      if (video.srcObject instanceof MediaStream && video.srcObject.getTracks()[0] === track) video.srcObject = null;
    },
  };
}
