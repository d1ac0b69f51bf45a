import { describe, expect, it } from "vitest";
import { LINK_COALESCE_BYTES, MAX_LINK_RECORD_BYTES, pipeSocket, type MessagePipe } from "./link.ts";

/** A pipe that records what is sent and lets the test deliver messages and close it. */
function fakePipe(): MessagePipe & { sent: Uint8Array[]; deliver(d: unknown): void; closed: boolean } {
  let onMessage: ((d: unknown) => void) | undefined;
  const pipe = {
    sent: [] as Uint8Array[],
    closed: false,
    send: (d: Uint8Array) => void pipe.sent.push(d),
    onMessage: (fn: (d: unknown) => void) => void (onMessage = fn),
    onClose: () => undefined,
    close: () => void (pipe.closed = true),
    deliver: (d: unknown) => onMessage?.(d),
  };
  return pipe;
}

const nextTask = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
const bytes = (n: number, v: number): Uint8Array => new Uint8Array(n).fill(v);

describe("pipeSocket", () => {
  it("coalesces the frames written within one task into one message, in order", async () => {
    const pipe = fakePipe();
    const { writable } = await pipeSocket(pipe, "test:").opened;
    const w = writable.getWriter();
    const chunk = bytes(3, 1);
    await w.write(chunk);
    chunk.fill(9); // qmux may reuse its buffer once the write resolved: what was written must not change
    await w.write(bytes(2, 2));
    await w.write(bytes(1, 3));
    expect(pipe.sent).toHaveLength(0);
    await nextTask();
    expect(pipe.sent.map((m) => [...m])).toEqual([[1, 1, 1, 2, 2, 3]]);
    await w.write(bytes(1, 4));
    await nextTask();
    expect(pipe.sent.map((m) => [...m])).toEqual([[1, 1, 1, 2, 2, 3], [4]]);
  });

  it("in a page, flushes in a user-blocking task (scheduler.postTask) rather than a timer", async () => {
    // Node has no scheduler; this stands in for Chromium's, whose real one the e2e media specs use.
    const queued: { fn: () => void; priority: string }[] = [];
    const g = globalThis as { scheduler?: unknown };
    g.scheduler = { postTask: (fn: () => void, o: { priority: string }) => (queued.push({ fn, priority: o.priority }), Promise.resolve()) };
    try {
      const pipe = fakePipe();
      const { writable } = await pipeSocket(pipe, "test:").opened;
      const w = writable.getWriter();
      await w.write(bytes(2, 1));
      await w.write(bytes(1, 2));
      await nextTask();
      expect(pipe.sent).toHaveLength(0); // no timer flushed it
      expect(queued.map((t) => t.priority)).toEqual(["user-blocking"]);
      queued.shift()!.fn();
      expect(pipe.sent.map((m) => [...m])).toEqual([[1, 1, 2]]);
    } finally {
      delete g.scheduler;
    }
  });

  it("never sends a message over the coalescing limit made of several frames", async () => {
    const pipe = fakePipe();
    const { writable } = await pipeSocket(pipe, "test:").opened;
    const w = writable.getWriter();
    const frame = Math.floor(LINK_COALESCE_BYTES / 3) + 1;
    for (let i = 0; i < 7; i++) await w.write(bytes(frame, i));
    const big = bytes(LINK_COALESCE_BYTES + 10, 42); // a single frame larger than the limit goes alone
    await w.write(big);
    await nextTask();
    expect(pipe.sent.reduce((n, m) => n + m.byteLength, 0)).toBe(7 * frame + big.byteLength);
    for (const m of pipe.sent) expect(m.byteLength <= LINK_COALESCE_BYTES || m.byteLength === big.byteLength).toBe(true);
    expect(pipe.sent.at(-1)).toEqual(big);
    // The bytes arrive in the order written.
    const all = pipe.sent.flatMap((m) => [...m]);
    expect(all.slice(0, 7 * frame)).toEqual(Array.from({ length: 7 }, (_, i) => Array<number>(frame).fill(i)).flat());
  });

  it("flushes what is pending when closed", async () => {
    const pipe = fakePipe();
    const socket = pipeSocket(pipe, "test:");
    const w = (await socket.opened).writable.getWriter();
    await w.write(bytes(4, 7));
    socket.close({ closeCode: 1000, reason: "bye" });
    expect(pipe.sent.map((m) => [...m])).toEqual([[7, 7, 7, 7]]);
    expect(pipe.closed).toBe(true);
    expect(await socket.closed).toEqual({ closeCode: 1000, reason: "bye" });
  });

  it("ends the link on a text message or an oversized record, and delivers binary ones", async () => {
    for (const bad of ["hello", new Uint8Array(MAX_LINK_RECORD_BYTES + 1)]) {
      const pipe = fakePipe();
      const socket = pipeSocket(pipe, "test:");
      const reader = (await socket.opened).readable.getReader();
      pipe.deliver(new Uint8Array([1, 2]).buffer);
      expect(await reader.read()).toEqual({ done: false, value: new Uint8Array([1, 2]) });
      pipe.deliver(bad);
      await expect(reader.read()).rejects.toThrow(/non-binary|too large/);
      expect((await socket.closed).closeCode).toBe(1003);
      expect(pipe.closed).toBe(true);
    }
  });
});
