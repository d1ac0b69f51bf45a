/**
 * RoomService over real libp2p nodes on loopback: several services in this process, each with its own data
 * directory and node, driven through the same contract the UI uses.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ConnectionState, EventMessage, IpcResult } from "../../shared/ipc.ts";
import { RoomTicket } from "../../shared/ticket.ts";
import { silentLog } from "../log.ts";
import { loadOrCreateIdentity } from "../net/identity.ts";
import { createRoomMedia } from "../moq/room-media.ts";
import { createRoomsNode } from "../net/node.ts";
import { Room } from "../room/room.ts";
import { RoomService, type RoomServiceInit } from "./room-service.ts";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { createRelayNode } from "../net/relay-server.ts";

const LOOPBACK = ["/ip4/127.0.0.1/tcp/0"];
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), "room-service-"));
  cleanup.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** A service with a UI attached that records every event it is sent. */
class Ui {
  readonly events: EventMessage[] = [];
  readonly svc: RoomService;
  constructor(svc: RoomService) {
    this.svc = svc;
    svc.attach((e) => this.events.push(e));
  }

  static async open(init: Partial<RoomServiceInit> = {}, ready = true): Promise<Ui> {
    const svc = await RoomService.open({ dataDir: tmp(), log: silentLog, listen: LOOPBACK, ...init });
    cleanup.push(() => svc.close());
    const ui = new Ui(svc);
    if (ready) expect(await svc.rendererReady()).toEqual({ ok: true, value: undefined });
    return ui;
  }

  states(): ConnectionState[] {
    return this.events.flatMap((e) => (e.event === "connectionChanged" ? [e.payload] : []));
  }

  until(pred: (e: EventMessage) => boolean, what: string): Promise<EventMessage> {
    return vi.waitFor(
      () => {
        const hit = this.events.find(pred);
        if (hit === undefined) throw new Error(`no ${what} yet`);
        return hit;
      },
      { timeout: 20_000, interval: 25 },
    );
  }

  sees(peerId: string, name: string): Promise<EventMessage> {
    return this.until((e) => e.event === "peerJoined" && e.payload.peerId === peerId && e.payload.displayName === name, `peerJoined ${name}`);
  }
}

function value<T>(r: IpcResult<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

describe("RoomService over real nodes", () => {
  it("create, join, see each other by name, leave: with the connection states the UI shows", async () => {
    const [a, b] = await Promise.all([Ui.open(), Ui.open()]);
    const roomA = value(await a.svc.createRoom({ displayName: "Ada" }));
    expect(a.svc.connection).toBe("joined");
    expect(RoomTicket.tryParse(roomA.ticket).ok).toBe(true);
    const roomB = value(await b.svc.joinRoom({ ticket: roomA.ticket, displayName: "Bob" }));
    await a.sees(roomB.me, "Bob");
    await b.sees(roomA.me, "Ada");
    await vi.waitFor(() => expect(b.svc.connection).toBe("joined"), { timeout: 10_000 });
    expect(a.states()).toEqual(["idle", "connecting", "joined"]);
    expect(b.states()).toEqual(["idle", "connecting", "joined"]);

    value(await b.svc.leaveRoom());
    const left = await a.until((e) => e.event === "peerLeft", "peerLeft");
    expect(left.payload).toEqual({ peerId: roomB.me, reason: "left" });
    expect(b.states().slice(-2)).toEqual(["leaving", "idle"]);
    expect(a.svc.connection).toBe("joined");
    expect(await b.svc.getTicket()).toMatchObject({ ok: false, error: { code: "not-in-room" } });
  });

  it("queues events until rendererReady, and a UI attaching later starts from the current state", async () => {
    const a = await Ui.open();
    const b = await Ui.open({}, false);
    const roomA = value(await a.svc.createRoom({ displayName: "Ada" }));
    const roomB = value(await b.svc.joinRoom({ ticket: roomA.ticket, displayName: "Bob" }));
    await a.sees(roomB.me, "Bob");
    expect(b.events).toEqual([]);
    value(await b.svc.rendererReady());
    await b.sees(roomA.me, "Ada");

    const late: EventMessage[] = [];
    a.svc.attach((e) => late.push(e));
    value(await a.svc.rendererReady());
    expect(late).toEqual([
      { event: "connectionChanged", payload: "joined" },
      { event: "peerJoined", payload: { peerId: roomB.me, displayName: "Bob", broadcasts: [] } },
      { event: "peerLinkChanged", payload: { peerId: roomB.me, link: { state: "connected", path: "direct" } } },
    ]);
  });

  it("remembers the display name and renames in the room", async () => {
    const dataDir = tmp();
    const a = await Ui.open({ dataDir });
    const b = await Ui.open();
    expect(value(await a.svc.getIdentity()).displayName).toBeUndefined();
    const roomA = value(await a.svc.createRoom({ displayName: "  Ada  " }));
    value(await b.svc.joinRoom({ ticket: roomA.ticket, displayName: "Bob" }));
    await b.sees(roomA.me, "Ada");
    value(await a.svc.setDisplayName({ displayName: "Ada L" }));
    await b.until((e) => e.event === "peerUpdated" && e.payload.displayName === "Ada L", "rename");
    await a.svc.close();

    const again = await RoomService.open({ dataDir, log: silentLog, listen: LOOPBACK });
    cleanup.push(() => again.close());
    expect(value(await again.getIdentity())).toMatchObject({ peerId: roomA.me, displayName: "Ada L" });
  });

  it("refuses bad arguments, bad tickets and a second room, through every entry point", async () => {
    const a = await Ui.open();
    expect(await a.svc.invoke("createRoom", [{ displayName: "" }])).toMatchObject({ ok: false, error: { code: "bad-args" } });
    expect(await a.svc.invoke("joinRoom", [{ ticket: "room", displayName: "x", extra: 1 }])).toMatchObject({ ok: false, error: { code: "bad-ticket" } });
    expect(await a.svc.invoke("__proto__", [])).toMatchObject({ ok: false, error: { code: "unknown-command" } });
    // Typed callers are validated too: a cast cannot smuggle a bad value past the schema.
    expect(await a.svc.createRoom({ displayName: 42 as unknown as string })).toMatchObject({ ok: false, error: { code: "bad-args" } });
    const bad = await a.svc.joinRoom({ ticket: "roomnot!valid", displayName: "Ada" });
    expect(bad).toMatchObject({ ok: false, error: { code: "bad-ticket", message: expect.stringContaining("invalid character") as unknown } });
    expect(a.svc.connection).toBe("idle");
    value(await a.svc.createRoom({ displayName: "Ada" }));
    expect(await a.svc.createRoom({ displayName: "Ada" })).toMatchObject({ ok: false, error: { code: "already-in-room" } });
    // This service runs without a media transport: chat says so instead of failing obscurely.
    expect(await a.svc.sendChat({ text: "hi" })).toMatchObject({ ok: false, error: { code: "not-available" } });
    expect(await a.svc.pickScreenSource({ requestId: "r", sourceId: null })).toMatchObject({ ok: false, error: { code: "not-available" } });
  });

  it("close leaves gracefully: the others see 'left' at once, not a timeout", async () => {
    const [a, b] = await Promise.all([Ui.open(), Ui.open()]);
    const roomA = value(await a.svc.createRoom({ displayName: "Ada" }));
    const roomB = value(await b.svc.joinRoom({ ticket: roomA.ticket, displayName: "Bob" }));
    await a.sees(roomB.me, "Bob");
    await b.svc.close();
    const left = await a.until((e) => e.event === "peerLeft", "peerLeft");
    expect(left.payload).toEqual({ peerId: roomB.me, reason: "left" });
    expect(await b.svc.createRoom({ displayName: "Bob" })).toMatchObject({ ok: false, error: { code: "not-available" } });
  });

  it("offers a ticket from outside to the UI, also to one that attaches later", async () => {
    const a = await Ui.open({}, false);
    a.svc.offerTicket("roomabc");
    value(await a.svc.rendererReady());
    expect(a.events).toContainEqual({ event: "ticketOpened", payload: { ticket: "roomabc" } });
  });

  it("shows reconnecting when every room peer's connection is gone, and joined again when the lost peer is given up", async () => {
    const a = await Ui.open({ lostPeerWindowMs: 1_500, timing: { graceMs: 500 } });
    const roomA = value(await a.svc.createRoom({ displayName: "Ada" }));
    // The other peer is a bare core peer, so the test can make it vanish without a goodbye.
    const dir = tmp();
    const key = await loadOrCreateIdentity(dir);
    const node = await createRoomsNode({ privateKey: key, listen: LOOPBACK });
    cleanup.push(() => node.stop());
    const room = await Room.join({ node, privateKey: key, log: silentLog }, { ticket: RoomTicket.parse(roomA.ticket), displayName: "Ghost" });
    await a.sees(room.handle.me, "Ghost");
    const ghost = room.handle.me;
    await a.until((e) => e.event === "peerLinkChanged" && e.payload.peerId === ghost && e.payload.link.state === "connected" && e.payload.link.path === "direct", "Ghost connected directly");
    await room.abandon();
    await node.stop();
    // The participant shows as reconnecting while the grace period runs, then leaves.
    await a.until((e) => e.event === "peerLinkChanged" && e.payload.peerId === ghost && e.payload.link.state === "reconnecting", "Ghost reconnecting");
    await a.until((e) => e.event === "connectionChanged" && e.payload === "reconnecting", "reconnecting");
    await a.until((e) => e.event === "peerLeft" && e.payload.reason === "connection-lost", "connection-lost");
    await vi.waitFor(() => expect(a.svc.connection).toBe("joined"), { timeout: 10_000 });
    expect(a.states()).toEqual(["idle", "connecting", "joined", "reconnecting", "joined"]);
  });

  it("chat goes both ways with local echo, and a UI attaching later gets the conversation", async () => {
    const media = { media: createRoomMedia };
    const [a, b] = await Promise.all([Ui.open(media), Ui.open(media)]);
    expect(await a.svc.sendChat({ text: "nobody here" })).toMatchObject({ ok: false, error: { code: "not-in-room" } });
    const roomA = value(await a.svc.createRoom({ displayName: "Ada" }));
    const roomB = value(await b.svc.joinRoom({ ticket: roomA.ticket, displayName: "Bob" }));
    await a.sees(roomB.me, "Bob");
    await b.sees(roomA.me, "Ada");
    // The first message may race the chat subscription; it then arrives as history, so either way it arrives.
    const echo = value(await a.svc.sendChat({ text: "hello https://example.com <b>x</b>" }));
    expect(echo).toMatchObject({ from: roomA.me, text: "hello https://example.com <b>x</b>", self: true, history: false });
    const got = await b.until((e) => e.event === "chatReceived", "chat at B");
    expect(got.payload).toMatchObject({ from: roomA.me, text: "hello https://example.com <b>x</b>", self: false });
    value(await b.svc.sendChat({ text: "hi Ada" }));
    const back = await a.until((e) => e.event === "chatReceived", "chat at A");
    expect(back.payload).toMatchObject({ from: roomB.me, text: "hi Ada", self: false, history: false });

    const late: EventMessage[] = [];
    a.svc.attach((e) => late.push(e));
    value(await a.svc.rendererReady());
    expect(late.filter((e) => e.event === "chatReceived").map((e) => e.payload)).toMatchObject([{ text: "hello https://example.com <b>x</b>", self: true }, { text: "hi Ada", self: false }]);
  });
});

describe("RoomService identity reset", () => {
  it("gives a new peer id, keeps the name and data folder, and is refused while in a room", async () => {
    const a = await Ui.open();
    const before = value(await a.svc.getIdentity());
    value(await a.svc.createRoom({ displayName: "Ada" }));
    expect(await a.svc.resetIdentity()).toMatchObject({ ok: false, error: { code: "in-room" } });
    value(await a.svc.leaveRoom());
    const after = value(await a.svc.resetIdentity());
    expect(after.peerId).not.toBe(before.peerId);
    expect(after).toMatchObject({ displayName: "Ada", dataDir: before.dataDir });
    // The next room uses the new identity.
    expect(value(await a.svc.createRoom({ displayName: "Ada" })).me).toBe(after.peerId);
  });
});

describe("RoomService settings", () => {
  it("remembers devices, relays, STUN and mDNS across restarts; refuses a bad relay and loses nothing", async () => {
    const dataDir = tmp();
    const a = await Ui.open({ dataDir });
    expect(value(await a.svc.getSettings())).toEqual({ devices: {}, relays: [], stun: [], mdns: false });
    const relay = "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN";
    value(await a.svc.updateSettings({ devices: { camera: "cam-2", speaker: "spk-1" }, relays: [relay, relay], stun: ["stun.example.org:3478"], mdns: true }));
    // A second change only touches what it names; "" forgets a device choice.
    const after = value(await a.svc.updateSettings({ devices: { microphone: "mic-3", speaker: "" } }));
    expect(after).toEqual({ devices: { camera: "cam-2", microphone: "mic-3" }, relays: [relay], stun: ["stun.example.org:3478"], mdns: true });

    const bad = await a.svc.updateSettings({ relays: ["/ip4/127.0.0.1/tcp/4001"] });
    expect(bad).toMatchObject({ ok: false, error: { code: "bad-relay", message: expect.stringContaining("/p2p/") as unknown } });
    expect(await a.svc.updateSettings({ stun: ["not a host port"] })).toMatchObject({ ok: false, error: { code: "bad-args" } });
    expect(await a.svc.updateSettings({ mdns: true, extra: 1 } as never)).toMatchObject({ ok: false, error: { code: "bad-args" } });
    expect(value(await a.svc.getSettings())).toEqual(after);

    await a.svc.close();
    const again = await Ui.open({ dataDir });
    expect(value(await again.svc.getSettings())).toEqual(after);
  });

  it("joins through the relays in the settings: the room's ticket then carries our relayed address", async () => {
    const relay = await createRelayNode({ privateKey: await generateKeyPair("Ed25519"), listen: LOOPBACK });
    cleanup.push(() => relay.stop());
    const relayAddr = relay.getMultiaddrs()[0]!.toString();
    const a = await Ui.open();
    value(await a.svc.updateSettings({ relays: [relayAddr] }));
    const room = value(await a.svc.createRoom({ displayName: "Ada" }));
    const entry = RoomTicket.parse(room.ticket).bootstrap[0]!;
    expect(entry.addrs.map((m) => m.toString()).some((m) => m.includes("/p2p-circuit"))).toBe(true);
  });
});
