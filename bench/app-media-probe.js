/*
 * Page probe for the app-media benchmark, injected (Playwright addInitScript) into both the app's pages and
 * the WebRTC baseline page, so both paths are measured by the same code:
 *
 * - Sender, video: getUserMedia's camera (opened at 640×360) is passed through MediaStreamTrackProcessor →
 *   Generator and a 40-block barcode (32 bits of Date.now() + an 8-bit check) is written into the luma plane
 *   across the top of every frame.
 * - Sender, audio: the microphone is replaced by a generated track (MediaStreamTrackGenerator, 10 ms chunks)
 *   that is silent except for a 10 ms 1 kHz tone twice a second; the wall time each tone is written is kept.
 * - Receiver, video: the barcode is read back from the pixels of each painted frame (a <video> element —
 *   the WebRTC page's, or the app's tile — in requestVideoFrameCallback, from a two-row strip of the frame
 *   copied out with VideoFrame.copyTo; the app's tile canvas where it draws on one, in a drawImage hook):
 *   delay = paint time (the callback's start) − stamp.
 * - Receiver, audio: every node connected to an AudioContext's destination is also tapped by an analyser;
 *   tone onsets are timed on the output clock (getOutputTimestamp) and paired with the sender's times.
 *
 * Without `stamp` the probe only exposes its (empty) record: the plain fake camera and microphone are used.
 */
/* global window, document, MutationObserver, VideoFrame, VideoDecoder, AudioData, MediaStream, MediaStreamTrackProcessor, MediaStreamTrackGenerator, CanvasRenderingContext2D, HTMLCanvasElement, AudioNode, AudioDestinationNode */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- called by the harness: `${source}\nbenchProbe({ stamp })`
function benchProbe({ stamp }) {
  const rec = { stamp, video: [], appDelay: [], decodeIn: [], encodeOut: [], encodeQueue: [], clicks: [], onsets: [], readMs: [], stampErrors: 0 };
  window.__bench = rec;
  const BLOCKS = 40;
  const now32 = () => Date.now() % 2 ** 32;
  const check = (v) => (((v >>> 24) + ((v >>> 16) & 255) + ((v >>> 8) & 255) + (v & 255)) & 255) ^ 0xa5;

  /** Read the barcode from one pixel row of RGBA `px` (width `w`); undefined when the check fails. */
  const decode = (px, w) => {
    let bits = 0;
    let v = 0;
    let c = 0;
    for (let i = 0; i < BLOCKS; i++) {
      const x = Math.min(w - 1, Math.floor(((i + 0.5) * w) / BLOCKS));
      const bit = px[x * 4] + px[x * 4 + 1] + px[x * 4 + 2] > 3 * 128 ? 1 : 0;
      if (i < 32) v = v * 2 + bit;
      else c = c * 2 + bit;
      bits++;
    }
    return bits === BLOCKS && check(v) === c ? v : undefined;
  };
  const age = (v, at) => {
    const d = ((at % 2 ** 32) - v + 2 ** 32) % 2 ** 32;
    return d < 10_000 ? d : undefined;
  };

  // Receiver, video: record a painted frame's stamp once per distinct stamp and painting surface.
  const last = new WeakMap();
  const seen = (surface, v, at = Date.now()) => {
    if (v === undefined) {
      rec.stampErrors++;
      return;
    }
    if (last.get(surface) === v) return;
    last.set(surface, v);
    const d = age(v, at);
    if (d !== undefined) rec.video.push(d);
  };
  rec.readRow = (ctx, w) => decode(ctx.getImageData(0, Math.max(0, Math.floor(w / BLOCKS / 2)), w, 1).data, w);
  const drawImage = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (src, ...rest) {
    const r = drawImage.call(this, src, ...rest);
    const canvas = this.canvas;
    if (typeof VideoFrame !== "undefined" && src instanceof VideoFrame && canvas instanceof HTMLCanvasElement && canvas.dataset.testid === "tile-picture") {
      // The app's own capture timestamp (µs since the epoch), for comparison with its data-delay-ms.
      rec.appDelay.push(Date.now() - src.timestamp / 1000);
      if (stamp) seen(canvas, rec.readRow(this, canvas.width));
    }
    return r;
  };
  rec.seen = seen;
  // The app's tiles are <video> elements fed VideoFrames through a track generator's writer where Chromium
  // has one: the app's own timestamp when a frame is handed over (what its data-delay-ms reports).
  if (typeof WritableStreamDefaultWriter !== "undefined") {
    const write = WritableStreamDefaultWriter.prototype.write;
    WritableStreamDefaultWriter.prototype.write = function (chunk) {
      if (typeof VideoFrame !== "undefined" && chunk instanceof VideoFrame && chunk.timestamp > 1e15) rec.appDelay.push(Date.now() - chunk.timestamp / 1000);
      return write.call(this, chunk);
    };
  }

  // Where the app's delay builds up: the age of each video chunk as it enters the decoder (the app stamps
  // chunks with capture time in µs since the epoch; WebRTC pages use no WebCodecs), and the encoder backlog.
  if (typeof VideoDecoder !== "undefined") {
    const decode = VideoDecoder.prototype.decode;
    VideoDecoder.prototype.decode = function (chunk) {
      if (chunk.timestamp > 1e15) rec.decodeIn.push(Date.now() - chunk.timestamp / 1000);
      return decode.call(this, chunk);
    };
    // Sender: how long the encoder holds each frame (encode() call → chunk out), by frame timestamp.
    const Encoder = window.VideoEncoder;
    const calls = new Map();
    window.VideoEncoder = class extends Encoder {
      constructor(init) {
        super({
          ...init,
          output: (chunk, meta) => {
            const at = calls.get(chunk.timestamp);
            if (at !== undefined) rec.encodeOut.push(performance.now() - at);
            calls.delete(chunk.timestamp);
            init.output(chunk, meta);
          },
        });
      }
      encode(frame, options) {
        rec.encodeQueue.push(this.encodeQueueSize);
        if (calls.size > 1000) calls.clear();
        calls.set(frame.timestamp, performance.now());
        return super.encode(frame, options);
      }
    };
  }

  // Receiver, audio: tap whatever is played.
  const taps = new Map();
  const connect = AudioNode.prototype.connect;
  AudioNode.prototype.connect = function (dest, ...rest) {
    const r = connect.call(this, dest, ...rest);
    if (stamp && dest instanceof AudioDestinationNode) {
      const ctx = dest.context;
      let tap = taps.get(ctx);
      if (tap === undefined) {
        tap = ctx.createAnalyser();
        tap.fftSize = 16384; // 340 ms: an onset stays in view even when the 20 ms poll is starved
        taps.set(ctx, tap);
        watch(ctx, tap);
      }
      connect.call(this, tap);
    }
    return r;
  };
  const watch = (ctx, tap) => {
    const buf = new Float32Array(tap.fftSize);
    let lastOnset = 0;
    setInterval(() => {
      if (ctx.state !== "running") return;
      const t = ctx.currentTime;
      const ots = ctx.getOutputTimestamp();
      tap.getFloatTimeDomainData(buf);
      // An onset: the first loud sample after 7 ms of quiet (ending 3 ms before it: the tone's first
      // samples are still small, and Opus smears a little energy ahead of a transient: up to ~0.02 seen,
      // depending on where the tone falls in its 20 ms frame, and the same for every tone of a run, as they
      // are exactly 50 frames apart — with 0.02 as the bar, whole runs heard no tone at all).
      for (let i = 480; i < buf.length; i++) {
        if (Math.abs(buf[i]) < 0.1) continue;
        let quiet = true;
        for (let j = i - 480; j < i - 144 && quiet; j++) quiet = Math.abs(buf[j]) < 0.05;
        if (!quiet) break;
        const onsetCtx = t - (buf.length - i) / ctx.sampleRate;
        // Wall time the onset sample reaches the output device: the output clock when it reports one,
        // otherwise the render clock plus the reported output latency.
        const wall =
          ots.performanceTime > 0
            ? performance.timeOrigin + ots.performanceTime + (onsetCtx - ots.contextTime) * 1000
            : Date.now() - (t - onsetCtx) * 1000 + (ctx.outputLatency || ctx.baseLatency || 0) * 1000;
        if (wall - lastOnset > 300) rec.onsets.push(wall);
        lastOnset = wall;
        break;
      }
    }, 20);
  };

  if (!stamp) return;

  // Sender: stamped camera, clicking microphone.
  // The probe's camera runs at 640×360 whatever the page asks (both paths alike), and the barcode is written
  // straight into the frame's luma plane: scaling and copying every 720p frame through a canvas cost each
  // sending page about a third of a core, which saturated the two cores being measured and made the
  // latency figures mostly a measure of the probe.
  const STAMP_SIZE = { width: 640, height: 360 };
  /** The barcode written into a copy of `frame`'s pixels (I420 or NV12); undefined for other formats. */
  const stampPixels = async (frame) => {
    const format = frame.format;
    if (format !== "I420" && format !== "NV12" && format !== "I420A") return undefined;
    const data = new Uint8Array(frame.allocationSize());
    const layout = await frame.copyTo(data);
    // copyTo copies the visible rectangle only: the copy is a frame of that size.
    const { width: w, height: h } = frame.visibleRect;
    const v = now32();
    const c = check(v);
    const bw = Math.floor(w / BLOCKS) & ~1; // even, so chroma blocks line up
    const fill = (plane, x0, y0, x1, y1, value, step = 1) => {
      const { offset, stride } = layout[plane];
      for (let y = y0; y < y1; y++) data.fill(value, offset + y * stride + x0 * step, offset + y * stride + x1 * step);
    };
    for (let i = 0; i < BLOCKS; i++) {
      const bit = i < 32 ? (v >>> (31 - i)) & 1 : (c >>> (39 - i)) & 1;
      const x0 = Math.floor((i * w) / BLOCKS) & ~1;
      fill(0, x0, 0, x0 + bw, bw, bit ? 235 : 16);
      // Neutral chroma under each block, so it reads as white or black whatever the camera showed there.
      if (format === "NV12") fill(1, x0 / 2, 0, (x0 + bw) / 2, bw / 2, 128, 2);
      else for (const p of [1, 2]) fill(p, x0 / 2, 0, (x0 + bw) / 2, bw / 2, 128);
    }
    return new VideoFrame(data, {
      format,
      codedWidth: w,
      codedHeight: h,
      displayWidth: frame.displayWidth,
      displayHeight: frame.displayHeight,
      timestamp: frame.timestamp,
      layout,
    });
  };
  const stampVideo = (track) => {
    const processor = new MediaStreamTrackProcessor({ track });
    const generator = new MediaStreamTrackGenerator({ kind: "video" });
    const transform = new TransformStream({
      async transform(frame, out) {
        try {
          const stamped = await stampPixels(frame);
          if (stamped === undefined) throw new Error(`probe: cannot stamp ${frame.format} frames`);
          out.enqueue(stamped);
        } finally {
          frame.close();
        }
      },
    });
    void processor.readable.pipeThrough(transform).pipeTo(generator.writable).catch((err) => console.error(String(err)));
    const stop = generator.stop.bind(generator);
    generator.stop = () => {
      track.stop();
      stop();
    };
    return generator;
  };
  const clickingMicrophone = () => {
    const generator = new MediaStreamTrackGenerator({ kind: "audio" });
    const writer = generator.writable.getWriter();
    const RATE = 48_000;
    const CHUNK = 480;
    const start = performance.now();
    const startUs = Math.floor((performance.timeOrigin + start) * 1000);
    let written = 0;
    let chunks = 0;
    let stopped = false;
    const timer = setInterval(() => {
      if (stopped) return clearInterval(timer);
      const due = ((performance.now() - start) / 1000) * RATE;
      while (written + CHUNK <= due + CHUNK) {
        const data = new Float32Array(CHUNK);
        // Every 500 ms: twice the samples of one a second, still far apart compared with any delay seen.
        const click = chunks % 50 === 0 && chunks > 0;
        if (click) for (let i = 0; i < CHUNK; i++) data[i] = 0.5 * Math.sin((2 * Math.PI * 1000 * i) / RATE);
        void writer.write(new AudioData({ format: "f32-planar", sampleRate: RATE, numberOfFrames: CHUNK, numberOfChannels: 1, timestamp: startUs + Math.floor((written / RATE) * 1e6), data }));
        if (click) rec.clicks.push(Date.now());
        written += CHUNK;
        chunks++;
      }
    }, 10);
    const stop = generator.stop.bind(generator);
    generator.stop = () => {
      stopped = true;
      stop();
    };
    return generator;
  };
  const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const wantsAudio = constraints !== undefined && constraints.audio !== undefined && constraints.audio !== false;
    const wantsVideo = constraints !== undefined && constraints.video !== undefined && constraints.video !== false;
    const tracks = [];
    if (wantsVideo) {
      const asked = typeof constraints.video === "object" ? constraints.video : {};
      const s = await gum({ video: { ...asked, width: { exact: STAMP_SIZE.width }, height: { exact: STAMP_SIZE.height } } });
      tracks.push(stampVideo(s.getVideoTracks()[0]));
    }
    if (wantsAudio) tracks.push(clickingMicrophone());
    return new MediaStream(tracks);
  };
  // requestVideoFrameCallback loop for <video> receivers (the WebRTC baseline page calls this). The paint
  // time is taken as the callback starts; the stamp is then read from two rows of the painted frame's own
  // pixels (VideoFrame.copyTo of a strip: the luma plane where the frame is YUV, RGBA otherwise). Drawing
  // the <video> into a 2D canvas to read one row converted the whole frame first: 3.7 ms (WebRTC page) and
  // 6.7 ms (app page) of the receiving page's main thread per frame at p50, 24 ms at p99, counted in the
  // delay, and for the app on the thread that also sends its media.
  const LUMA = new Set(["I420", "I420A", "I422", "I422A", "I444", "I444A", "NV12"]);
  rec.watchVideo = (video) => {
    const onFrame = () => {
      const at = Date.now();
      video.requestVideoFrameCallback(onFrame);
      if (video.videoWidth === 0) return;
      const t0 = performance.now();
      let frame;
      try {
        frame = new VideoFrame(video);
      } catch {
        return;
      }
      const v = frame.visibleRect;
      const w = v.width & ~1;
      const rect = { x: v.x & ~1, y: (v.y + Math.max(0, Math.floor(w / BLOCKS / 2))) & ~1, width: w, height: 2 };
      const luma = LUMA.has(frame.format);
      const buf = new Uint8Array(frame.allocationSize({ rect }));
      frame
        .copyTo(buf, { rect })
        .then((layout) => {
          const { offset } = layout[0];
          if (luma) {
            const px = new Uint8Array(w * 4);
            for (let x = 0; x < w; x++) px[x * 4] = px[x * 4 + 1] = px[x * 4 + 2] = buf[offset + x];
            seen(video, decode(px, w), at);
          } else {
            // RGBA/BGRA/RGBX: the channel order does not matter for decode's r+g+b sum.
            seen(video, decode(buf.subarray(offset, offset + w * 4), w), at);
          }
          rec.readMs.push(performance.now() - t0);
        })
        .catch(() => rec.stampErrors++)
        .finally(() => frame.close());
    };
    video.requestVideoFrameCallback(onFrame);
  };
  // The app's remote tiles: watched like the WebRTC page's videos, from the moment they appear.
  const watched = new WeakSet();
  new MutationObserver(() => {
    for (const v of document.querySelectorAll("video[data-testid=tile-picture]")) {
      if (watched.has(v)) continue;
      watched.add(v);
      rec.watchVideo(v);
    }
  }).observe(document, { childList: true, subtree: true });
}
