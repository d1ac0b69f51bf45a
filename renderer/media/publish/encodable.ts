/**
 * Some cameras deliver frames in a pixel format WebCodecs has no name for (`format === null`: depth
 * cameras' Y16, Chromium's second fake camera), and a VideoEncoder fails on every one of them
 * ("Encoding error"). Such frames are redrawn into an RGBA frame the encoders accept; the common
 * formats (I420, NV12, RGBA…) pass through untouched, so the copy costs only where it is needed.
 */

/** Redraws frames of unnamed formats; reuses one canvas. */
export class EncodableFrames {
  #canvas: OffscreenCanvas | undefined;
  #ctx: OffscreenCanvasRenderingContext2D | undefined;

  /** `frame` itself when encoders take it, else a converted copy the caller must close. */
  convert(frame: VideoFrame): VideoFrame {
    if (frame.format !== null) return frame;
    const { displayWidth: w, displayHeight: h } = frame;
    if (this.#canvas?.width !== w || this.#canvas.height !== h) {
      this.#canvas = new OffscreenCanvas(w, h);
      this.#ctx = this.#canvas.getContext("2d") ?? undefined;
    }
    if (this.#ctx === undefined) throw new Error("no 2d context to convert a camera frame");
    this.#ctx.drawImage(frame, 0, 0, w, h);
    return new VideoFrame(this.#canvas, { timestamp: frame.timestamp, ...(frame.duration !== null && { duration: frame.duration }) });
  }
}
