import { describe, expect, it, vi } from "vitest";
import { CLOSE_CODES } from "../shared/socket-protocol.ts";
import { createSocketApi } from "./socket-api.ts";
import type { TransportState } from "./store/room/state.ts";

/** A WebSocket double: records frames, lets the test open, answer and close it. */
class FakeSocket {
  static readonly OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  readonly sent: string[] = [];
  readonly url: string;
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  constructor(url: string) {
    this.url = url;
    FakeSocket.all.push(this);
  }
  send(frame: string): void {
    this.sent.push(frame);
  }
  open(): void {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  receive(msg: unknown): void {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  lastRequest(): { id: number; method: string; args: unknown[] } {
    return JSON.parse(this.sent.at(-1)!) as { id: number; method: string; args: unknown[] };
  }
}

function setup() {
  FakeSocket.all = [];
  const states: TransportState[] = [];
  const { api, transport } = createSocketApi({ url: "ws://127.0.0.1:1/ws?token=t", WebSocketImpl: FakeSocket as unknown as typeof WebSocket, backoffMs: [0] });
  transport.subscribe((s) => states.push(s));
  return { api, states, sock: (): FakeSocket => FakeSocket.all.at(-1)! };
}

describe("socket api", () => {
  it("queues calls until the socket opens, then matches answers by id", async () => {
    const { api, sock } = setup();
    const created = api.createRoom({ displayName: "Ada" });
    const ident = api.getIdentity();
    expect(sock().sent).toEqual([]);
    sock().open();
    expect(sock().sent.map((f) => JSON.parse(f) as unknown)).toEqual([
      { id: 1, method: "createRoom", args: [{ displayName: "Ada" }] },
      { id: 2, method: "getIdentity", args: [] },
    ]);
    sock().receive({ id: 2, result: { ok: true, value: { peerId: "p" } } });
    sock().receive({ id: 1, result: { ok: false, error: { code: "bad-args", message: "no" } } });
    expect(await ident).toEqual({ ok: true, value: { peerId: "p" } });
    expect(await created).toEqual({ ok: false, error: { code: "bad-args", message: "no" } });
  });

  it("delivers events to subscribers until they unsubscribe, ignoring unknown events and junk", () => {
    const { api, sock } = setup();
    sock().open();
    const seen: unknown[] = [];
    const off = api.on("peerJoined", (p) => seen.push(p));
    sock().receive({ event: "peerJoined", payload: { peerId: "a" } });
    sock().receive({ event: "notAnEvent", payload: 1 });
    sock().onmessage?.({ data: "{junk" });
    off();
    sock().receive({ event: "peerJoined", payload: { peerId: "b" } });
    expect(seen).toEqual([{ peerId: "a" }]);
  });

  it("a dropped socket fails pending calls as data and reconnects", async () => {
    vi.useFakeTimers();
    try {
      const { api, sock, states } = setup();
      sock().open();
      const pending = api.leaveRoom();
      sock().drop();
      expect(await pending).toMatchObject({ ok: false, error: { code: "disconnected" } });
      await vi.runAllTimersAsync();
      expect(FakeSocket.all).toHaveLength(2);
      sock().open();
      expect(states).toEqual(["open", "reconnecting", "open"]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("does not reconnect after another tab took over, and says so", async () => {
    const { api, sock, states } = setup();
    sock().open();
    sock().drop(CLOSE_CODES.replaced);
    expect(states.at(-1)).toBe("replaced");
    expect(await api.getTicket()).toMatchObject({ ok: false, error: { code: "disconnected" } });
    expect(FakeSocket.all).toHaveLength(1);
  });
});
