import { describe, expect, it } from "vitest";
import type { EventMessage } from "../../shared/ipc.ts";
import { EventOutbox, MAX_QUEUED_EVENTS } from "./outbox.ts";

const conn = (payload: "idle" | "joined"): EventMessage => ({ event: "connectionChanged", payload });
const joined = (peerId: string): EventMessage => ({ event: "peerJoined", payload: { peerId, displayName: peerId, broadcasts: [] } });

describe("EventOutbox", () => {
  it("holds events until the UI is ready, then delivers snapshot and queue in order", () => {
    const box = new EventOutbox(() => [conn("idle")]);
    const got: EventMessage[] = [];
    box.attach((e) => got.push(e));
    box.emit(joined("A"));
    expect(got).toEqual([]);
    box.ready();
    expect(got).toEqual([conn("idle"), joined("A")]);
    box.emit(joined("B"));
    expect(got).toEqual([conn("idle"), joined("A"), joined("B")]);
  });

  it("a new UI starts from the snapshot and the old one hears nothing more", () => {
    let state: EventMessage[] = [conn("joined")];
    const box = new EventOutbox(() => state);
    const first: EventMessage[] = [];
    const second: EventMessage[] = [];
    const detachFirst = box.attach((e) => first.push(e));
    box.ready();
    state = [conn("joined"), joined("A")];
    box.attach((e) => second.push(e));
    box.emit(joined("B"));
    box.ready();
    expect(second).toEqual([conn("joined"), joined("A"), joined("B")]);
    detachFirst(); // detaching a replaced UI must not detach the current one
    box.emit(joined("C"));
    expect(first).toEqual([conn("joined")]);
    expect(second.at(-1)).toEqual(joined("C"));
  });

  it("without an attached UI nothing is delivered and ready is a no-op", () => {
    const box = new EventOutbox(() => []);
    box.ready();
    box.emit(joined("A"));
    expect(box.live).toBe(false);
  });

  it("an overflowing queue falls back to a fresh snapshot", () => {
    const box = new EventOutbox(() => [conn("joined")]);
    const got: EventMessage[] = [];
    box.attach((e) => got.push(e));
    for (let i = 0; i <= MAX_QUEUED_EVENTS; i++) box.emit(joined(`P${i}`));
    box.ready();
    expect(got).toEqual([conn("joined")]);
  });
});
