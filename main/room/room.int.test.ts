/** The room API with real libp2p nodes in one process (the cross-process scenarios live in test/). */
import { generateKeyPair } from "@libp2p/crypto/keys";
import { afterEach, describe, expect, it } from "vitest";
import { RoomTicket } from "../../shared/ticket.ts";
import { silentLog } from "../log.ts";
import { createRoomsNode, type RoomsNode } from "../net/node.ts";
import type { RoomEvent } from "./events.ts";
import { Room, type RoomHandle } from "./room.ts";
import type { RoomInit } from "./actor.ts";
import { until } from "../../test/until.ts";

const nodes: RoomsNode[] = [];
const rooms: Room[] = [];
afterEach(async () => {
  await Promise.all(rooms.splice(0).map((r) => r.abandon()));
  await Promise.all(nodes.splice(0).map(async (n) => n.stop()));
});

async function join(init: RoomInit): Promise<{ room: Room; events: RoomEvent[] }> {
  const privateKey = await generateKeyPair("Ed25519");
  const node = await createRoomsNode({ privateKey, listen: ["/ip4/127.0.0.1/tcp/0"] });
  nodes.push(node);
  const room = await Room.join({ node, privateKey, log: silentLog }, init);
  rooms.push(room);
  const events: RoomEvent[] = [];
  void (async () => {
    for await (const ev of room) events.push(ev);
  })();
  return { room, events };
}


const find = (evs: RoomEvent[], type: RoomEvent["type"], remote: string) => evs.find((e) => e.type === type && e.remote === remote);

describe("Room (in-process, real nodes)", () => {
  it("ticket() names this peer with its addresses, and other live peers", async () => {
    const a = await join({ ticket: RoomTicket.generate(), displayName: "A" });
    const t = a.room.ticket();
    expect(t.bootstrap[0]!.peerId).toBe(a.room.handle.me);
    expect(t.bootstrap[0]!.addrs.some((x) => x.startsWith("/ip4/127.0.0.1/tcp/"))).toBe(true);
    const b = await join({ ticket: RoomTicket.parse(t.toString()), displayName: "B" });
    await until(() => find(a.events, "PeerJoined", b.room.handle.me), "a sees b");
    expect(a.room.ticket().bootstrap.map((p) => p.peerId)).toEqual([a.room.handle.me, b.room.handle.me]);
  });

  it("publishing and a broadcast that ends rewrite our state (RemoteAnnounced both times)", async () => {
    const a = await join({ ticket: RoomTicket.generate() });
    const b = await join({ ticket: a.room.ticket() });
    const me = a.room.handle.me;
    await until(() => find(b.events, "PeerJoined", me), "b sees a");
    let end!: () => void;
    const closed = new Promise<void>((r) => (end = r));
    await a.room.handle.publish("camera", { closed });
    await until(() => b.events.find((e) => e.type === "RemoteAnnounced" && e.remote === me && e.broadcasts.includes("camera")), "camera announced");
    end();
    await until(() => {
      const last = b.events.filter((e) => e.type === "RemoteAnnounced" && e.remote === me).at(-1);
      return last?.type === "RemoteAnnounced" && last.broadcasts.length === 0 ? last : undefined;
    }, "camera withdrawn after close");
  });

  it("a peer whose state is no longer refreshed expires: one PeerLeft(expired)", async () => {
    const horizonMs = 3_000;
    const a = await join({ ticket: RoomTicket.generate(), horizonMs });
    const b = await join({ ticket: a.room.ticket(), horizonMs, refreshMs: 600_000 });
    const bid = b.room.handle.me;
    await until(() => find(a.events, "PeerJoined", bid), "a sees b");
    const left = await until(() => find(a.events, "PeerLeft", bid), "b expires", 20_000);
    expect(left).toMatchObject({ reason: "expired" });
    expect(a.events.filter((e) => e.type === "PeerLeft")).toHaveLength(1);
  });

  it("commands after leave are refused with a clear error", async () => {
    const a = await join({ ticket: RoomTicket.generate() });
    const h: RoomHandle = a.room.handle;
    await h.leave();
    await expect(h.setDisplayName("x")).rejects.toMatchObject({ code: "room-closed" });
  });
});

describe("Room command validation", () => {
  it("refuses a display name over the limit and keeps the old state", async () => {
    const a = await join({ ticket: RoomTicket.generate(), displayName: "A" });
    const b = await join({ ticket: a.room.ticket() });
    await until(() => find(b.events, "PeerJoined", a.room.handle.me), "b sees a");
    await expect(a.room.handle.setDisplayName("x".repeat(65))).rejects.toMatchObject({ code: "invalid-argument" });
    await expect(a.room.handle.publish("y".repeat(65))).rejects.toMatchObject({ code: "invalid-argument" });
    await a.room.handle.setDisplayName("A2"); // the actor still works after a refusal
    const upd = await until(() => find(b.events, "PeerUpdated", a.room.handle.me), "rename after refusal");
    expect(upd).toMatchObject({ displayName: "A2", broadcasts: [] });
  });
});
