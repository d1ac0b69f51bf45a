/**
 * The renderer's PCM ring (renderer/media/watch/pcm-ring.ts) across real threads: a Node worker stands in
 * for the audio worklet, this thread for the page. Lives here because the renderer's tests have no Node
 * types (and its jsdom has no SharedArrayBuffer worker of its own).
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { createPcmRing, PcmRingWriter } from "../renderer/media/watch/pcm-ring.ts";

const RATE = 48_000;

describe("PcmRing across threads", () => {
  it("carries every chunk intact to a reader on another thread", async () => {
    const b = createPcmRing(1, true)!;
    const w = new PcmRingWriter(b);
    const COUNT = 5_000;
    // The worker drains like the worklet does (a loop standing in for render quanta) and checks each chunk.
    const worker = new Worker(
      `const { workerData, parentPort } = require("node:worker_threads");
       import(workerData.module).then(({ PcmRingReader }) => {
         const r = new PcmRingReader(workerData.ring);
         let next = 0, bad = 0;
         const tick = () => {
           r.drain((us, [p]) => { if (us !== next || p.length !== 64 || p[0] !== next || p[63] !== next) bad++; next++; });
           if (next < workerData.count) setImmediate(tick); else parentPort.postMessage({ next, bad });
         };
         tick();
       }, (err) => parentPort.postMessage({ error: String(err) }));`,
      { eval: true, workerData: { ring: b, count: COUNT, module: pathToFileURL(join(import.meta.dirname, "../renderer/media/watch/pcm-ring.ts")).href } },
    );
    try {
      const done = new Promise<{ next: number; bad: number } | { error: string }>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
      });
      for (let i = 0; i < COUNT; ) {
        if (w.write(i, [new Float32Array(64).fill(i)], RATE)) i++;
        else await new Promise((res) => setImmediate(res));
      }
      expect(await done).toEqual({ next: COUNT, bad: 0 });
    } finally {
      await worker.terminate();
    }
  });
});
