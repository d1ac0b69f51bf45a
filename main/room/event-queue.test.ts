import { describe, expect, it } from "vitest";
import { EventQueue } from "./event-queue.ts";

describe("EventQueue", () => {
  it("delivers in order to a waiting consumer and after the fact", async () => {
    const q = new EventQueue<number>();
    const first = q.next();
    q.push(1);
    q.push(2);
    expect(await first).toBe(1);
    expect(q.tryNext()).toBe(2);
    expect(q.tryNext()).toBeUndefined();
  });

  it("drains queued events after close, then ends iteration", async () => {
    const q = new EventQueue<string>();
    q.push("a");
    q.close();
    q.push("ignored");
    const seen: string[] = [];
    for await (const x of q) seen.push(x);
    expect(seen).toEqual(["a"]);
  });
});
