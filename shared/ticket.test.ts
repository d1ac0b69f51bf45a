import { describe, expect, it } from "vitest";
import { base32nopad, hex } from "@scure/base";
import { publicKeyFromRaw } from "@libp2p/crypto/keys";
import { peerIdFromPublicKey } from "@libp2p/peer-id";
import { multiaddr } from "@multiformats/multiaddr";
import { PostcardWriter } from "./codec/postcard.ts";
import {
  MAX_BOOTSTRAP_ADDRS,
  MAX_BOOTSTRAP_ADDR_BYTES,
  MAX_BOOTSTRAP_PEERS,
  MAX_TICKET_CHARS,
  RoomTicket,
  TicketError,
  type BootstrapPeer,
} from "./ticket.ts";

/** Topic 0x00..0x1f, as in the study's examples. */
const TOPIC = Uint8Array.from({ length: 32 }, (_, i) => i);
/** The Ed25519 key of the study's iroh example; its libp2p peer id is {@link KEY_ID}. */
const KEY = hex.decode("ae58ff8833241ac82d6ff7611046ed67b5072d142c588d0063e942d9a75502b6");
const KEY_ID = "12D3KooWMYwpSD8JfMbw17hWYa4fQUwRdJLHeF3PEzM8pLgskG61";

/** A deterministic Ed25519 peer id per seed (any 32 bytes make a syntactically valid key). */
const peerId = (seed: number): string => peerIdFromPublicKey(publicKeyFromRaw(new Uint8Array(32).fill(seed))).toString();
/** A ticket string around a hand-made body. */
const ticketOf = (body: Uint8Array): string => `room${base32nopad.encode(body).toLowerCase()}`;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TicketError);
    expect((err as TicketError).name).toBe("TicketError");
    expect((err as TicketError).message.length).toBeGreaterThan(10);
    return (err as TicketError).code;
  }
  throw new Error("expected a TicketError");
}
const parseCode = (s: string): string => codeOf(() => RoomTicket.parse(s));

describe("golden vectors", () => {
  it("matches iroh-live for a ticket without bootstrap peers (study §2.1)", () => {
    const s = "roomaaaacaqdaqcqmbyibefawdanbyhraeiscmkbkfqxdamrugy4dupb6";
    expect(RoomTicket.new(TOPIC).toString()).toBe(s);
    const t = RoomTicket.parse(s);
    expect(t.topic).toEqual(TOPIC);
    expect(t.bootstrap).toEqual([]);
  });

  it("encodes one bootstrap peer with one address", () => {
    // Body, 75 bytes:
    //   01                                   one bootstrap peer
    //   ae58ff88…a75502b6                    its raw Ed25519 key (32 bytes) = 12D3KooWMYwp…skG61
    //   01                                   one address
    //   08 04c0a80114 060fa1                 8-byte multiaddr: ip4 (code 4) 192.168.1.20, tcp (code 6) port 4001
    //   000102…1f                            topic (32 bytes)
    const s =
      "roomagxfr74igmsbvsbnn73wcecg5vt3kbzncqwfrdiampuufwnhkublmaiiatakqaiuayh2caabaibqibiga4eascqlbqgq4dyqcejbgfavcylrqgi2dmob2hq7";
    const t = RoomTicket.new(TOPIC, [{ peerId: KEY_ID, addrs: ["/ip4/192.168.1.20/tcp/4001"] }]);
    expect(t.toString()).toBe(s);
    const back = RoomTicket.parse(s);
    expect(back.topic).toEqual(TOPIC);
    expect(back.bootstrap).toEqual([{ peerId: KEY_ID, addrs: ["/ip4/192.168.1.20/tcp/4001"] }]);
  });

  it("refuses iroh-live's ticket with a bootstrap id: ours carries addresses, theirs does not", () => {
    const iroh =
      "roomagxfr74igmsbvsbnn73wcecg5vt3kbzncqwfrdiampuufwnhkublmaabaibqibiga4eascqlbqgq4dyqcejbgfavcylrqgi2dmob2hq7";
    expect(parseCode(iroh)).toBe("topic-length");
  });
});

describe("round trips", () => {
  it("round-trips a generated ticket", () => {
    const t = RoomTicket.generate();
    expect(t.bootstrap).toEqual([]);
    const back = RoomTicket.parse(t.toString());
    expect(back.topic).toEqual(t.topic);
    expect(back.toString()).toBe(t.toString());
    expect(RoomTicket.generate().topicHex()).not.toBe(t.topicHex());
  });

  it("round-trips peers with ip4, ip6 and dns addresses", () => {
    const peers: BootstrapPeer[] = [
      { peerId: peerId(1), addrs: ["/ip4/203.0.113.7/tcp/4001", "/ip6/2001:db8::1/tcp/4001", "/dns4/rooms.example.org/tcp/443"] },
      { peerId: peerId(2), addrs: [] },
    ];
    const t = RoomTicket.new(TOPIC, peers);
    const back = RoomTicket.parse(t.toString());
    expect(back.bootstrap).toEqual(peers);
    expect(back.toString()).toBe(t.toString());
  });

  it("keeps a ticket with 3 peers × 3 realistic addresses under 1000 characters", () => {
    const peers = [1, 2, 3].map((n) => ({
      peerId: peerId(n),
      addrs: [`/ip4/198.51.100.${n}/tcp/41${n}23`, `/ip6/2001:db8:85a3::8a2e:370:${n}/tcp/41${n}23`, `/ip4/192.168.178.${20 + n}/tcp/41${n}23`],
    }));
    const s = RoomTicket.new(TOPIC, peers).toString();
    expect(s.length).toBeLessThan(1000);
    expect(RoomTicket.parse(s).bootstrap).toEqual(peers);
  });

  it("parses the largest ticket the caps allow, which is exactly MAX_TICKET_CHARS long", () => {
    // dns4 (1) + name length (1) + 123-byte name + tcp/443 (3) = 128 bytes.
    const longAddr = `/dns4/${"a".repeat(123)}/tcp/443`;
    expect(multiaddr(longAddr).bytes.length).toBe(MAX_BOOTSTRAP_ADDR_BYTES);
    const peers = Array.from({ length: MAX_BOOTSTRAP_PEERS }, (_, i) => ({
      peerId: peerId(i + 1),
      addrs: Array.from({ length: MAX_BOOTSTRAP_ADDRS }, () => longAddr),
    }));
    const s = RoomTicket.new(TOPIC, peers).toString();
    expect(s.length).toBe(MAX_TICKET_CHARS);
    expect(RoomTicket.parse(s).bootstrap).toEqual(peers);
  });

  it("trims surrounding whitespace and newlines", () => {
    const s = RoomTicket.new(TOPIC, [{ peerId: KEY_ID, addrs: ["/ip4/10.0.0.1/tcp/1"] }]).toString();
    expect(RoomTicket.parse(`  \n\t${s}\r\n `).toString()).toBe(s);
  });

  it("accepts an upper-case body but not an upper-case prefix, as iroh does", () => {
    const s = RoomTicket.new(TOPIC).toString();
    expect(RoomTicket.parse(`room${s.slice(4).toUpperCase()}`).toString()).toBe(s);
    expect(parseCode(s.toUpperCase())).toBe("prefix");
  });
});

describe("parse errors", () => {
  it("empty", () => {
    expect(parseCode("")).toBe("empty");
    expect(parseCode(" \n\t ")).toBe("empty");
  });

  it("prefix", () => {
    expect(parseCode("rom")).toBe("prefix");
    expect(parseCode("iroh-live:abc/cam")).toBe("prefix");
    expect(parseCode("xroomaaaa")).toBe("prefix");
  });

  it("too-long", () => {
    expect(parseCode(`room${"a".repeat(MAX_TICKET_CHARS)}`)).toBe("too-long");
  });

  it("base32", () => {
    const s = RoomTicket.new(TOPIC).toString();
    expect(parseCode(`${s}1`)).toBe("base32"); // '1' is not in the alphabet
    expect(parseCode(`${s.slice(0, 20)} ${s.slice(20)}`)).toBe("base32");
    expect(parseCode(`${s}=`)).toBe("base32");
    expect(parseCode(`room\u0131aaaaaaa`)).toBe("base32"); // dotless ı upper-cases to I
    expect(parseCode("rooma")).toBe("base32"); // 5 bits cannot end a byte string
    expect(parseCode("roomab")).toBe("base32"); // non-zero padding bits
  });

  it("truncated: the body ends inside the bootstrap list, at every such offset", () => {
    const body = base32nopad.decode(
      RoomTicket.new(TOPIC, [{ peerId: KEY_ID, addrs: ["/ip4/192.168.1.20/tcp/4001"] }]).toString().slice(4).toUpperCase(),
    );
    const listEnd = body.length - 32;
    for (let cut = 0; cut < listEnd; cut++) {
      expect(parseCode(ticketOf(body.subarray(0, cut))), `cut at ${cut}`).toBe("truncated");
    }
    for (let cut = listEnd; cut < body.length; cut++) {
      expect(parseCode(ticketOf(body.subarray(0, cut))), `cut at ${cut}`).toBe("topic-length");
    }
    expect(parseCode("room")).toBe("truncated");
  });

  it("topic-length", () => {
    expect(parseCode(ticketOf(new Uint8Array(32)))).toBe("topic-length"); // count + 31 bytes
    expect(parseCode(ticketOf(new Uint8Array(34)))).toBe("topic-length"); // count + 33 bytes
    expect(codeOf(() => RoomTicket.new(new Uint8Array(31)))).toBe("topic-length");
  });

  it("too-many-peers", () => {
    const nine = new PostcardWriter().varint(9).finish();
    expect(parseCode(ticketOf(new Uint8Array([...nine, ...new Uint8Array(9 * 33 + 32)])))).toBe("too-many-peers");
    expect(parseCode(ticketOf(new Uint8Array([0x80, 0x01, ...TOPIC])))).toBe("too-many-peers");
    expect(parseCode(ticketOf(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])))).toBe("too-many-peers");
    const peers = Array.from({ length: MAX_BOOTSTRAP_PEERS + 1 }, (_, i) => ({ peerId: peerId(i + 1), addrs: [] }));
    expect(codeOf(() => RoomTicket.new(TOPIC, peers))).toBe("too-many-peers");
  });

  /** A one-peer body (the study key) whose addresses are the given raw byte strings. */
  const oneAddrBody = (addrs: Uint8Array[]): Uint8Array =>
    new PostcardWriter().varint(1).fixed(KEY).vec(addrs, (w, a) => w.bytes(a)).fixed(TOPIC).finish();
  const ip4 = multiaddr("/ip4/10.0.0.1/tcp/4001").bytes;

  it("bad-peer: addresses off the wire", () => {
    expect(parseCode(ticketOf(oneAddrBody(Array.from({ length: MAX_BOOTSTRAP_ADDRS + 1 }, () => ip4))))).toBe("bad-peer");
    expect(parseCode(ticketOf(oneAddrBody([new Uint8Array(MAX_BOOTSTRAP_ADDR_BYTES + 1)])))).toBe("bad-peer");
    expect(parseCode(ticketOf(oneAddrBody([new Uint8Array([0xff, 0xff, 0xff])])))).toBe("bad-peer"); // unknown protocol
    expect(parseCode(ticketOf(oneAddrBody([ip4.subarray(0, 4)])))).toBe("bad-peer"); // ip4 cut short
    expect(parseCode(ticketOf(oneAddrBody([new Uint8Array(0)])))).toBe("bad-peer"); // empty address
    const through = (s: string): Uint8Array => multiaddr(s).bytes;
    const relay = peerId(9);
    for (const bad of [
      `/ip4/10.0.0.1/tcp/4001/p2p/${relay}`, // another peer's address, not a circuit
      `/p2p/${relay}/p2p-circuit`, // a relay with no address to reach it at
      `/ip4/10.0.0.1/tcp/4001/p2p-circuit`, // a circuit with no relay
      `/ip4/10.0.0.1/tcp/4001/p2p/${KEY_ID}/p2p-circuit`, // through itself
      `/ip4/10.0.0.1/tcp/4001/p2p/${relay}/p2p-circuit/p2p/${peerId(8)}/p2p-circuit`, // nested circuits
      `/ip4/10.0.0.1/tcp/4001/p2p/${relay}/p2p-circuit/tcp/1`, // something after the circuit
    ]) expect(parseCode(ticketOf(oneAddrBody([through(bad)]))), bad).toBe("bad-peer");
    // Overlong address length varint: 0x88 0x00 for 8.
    const overlong = new Uint8Array([1, ...KEY, 1, 0x88, 0x00, ...ip4, ...TOPIC]);
    expect(parseCode(ticketOf(overlong))).toBe("bad-peer");
  });

  it("bad-peer: the same peer twice", () => {
    const body = new PostcardWriter().varint(2).fixed(KEY).varint(0).fixed(KEY).varint(0).fixed(TOPIC).finish();
    expect(parseCode(ticketOf(body))).toBe("bad-peer");
  });

  it("accepts a relay circuit address, with or without the peer's own /p2p/ suffix", () => {
    const circuit = `/ip4/10.0.0.1/tcp/4001/p2p/${peerId(9)}/p2p-circuit`;
    for (const a of [circuit, `${circuit}/p2p/${KEY_ID}`]) {
      expect(RoomTicket.parse(ticketOf(oneAddrBody([multiaddr(a).bytes]))).bootstrap[0]?.addrs).toEqual([circuit]);
    }
    const built = RoomTicket.new(TOPIC, [{ peerId: KEY_ID, addrs: [`/dns4/relay.example/tcp/443/wss/p2p/${peerId(9)}/p2p-circuit/p2p/${KEY_ID}`] }]);
    expect(RoomTicket.parse(built.toString()).bootstrap[0]?.addrs).toEqual([`/dns4/relay.example/tcp/443/wss/p2p/${peerId(9)}/p2p-circuit`]);
  });

  it("accepts a peer's own /p2p/ suffix off the wire and strips it", () => {
    const own = multiaddr(`/ip4/10.0.0.1/tcp/4001/p2p/${KEY_ID}`).bytes;
    expect(RoomTicket.parse(ticketOf(oneAddrBody([own]))).bootstrap[0]?.addrs).toEqual(["/ip4/10.0.0.1/tcp/4001"]);
  });
});

describe("building", () => {
  it("rejects bad peer ids and addresses with bad-peer", () => {
    const cases: BootstrapPeer[] = [
      { peerId: "not a peer id", addrs: [] },
      { peerId: "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N", addrs: [] }, // RSA (sha256 multihash)
      { peerId: KEY_ID, addrs: ["not a multiaddr"] },
      { peerId: KEY_ID, addrs: [`/ip4/10.0.0.1/tcp/1/p2p/${peerId(9)}`] },
      { peerId: KEY_ID, addrs: [`/p2p/${KEY_ID}`] },
      { peerId: KEY_ID, addrs: [`/dns4/${"a".repeat(124)}/tcp/443`] },
    ];
    for (const p of cases) expect(codeOf(() => RoomTicket.new(TOPIC, [p])), JSON.stringify(p)).toBe("bad-peer");
    expect(codeOf(() => RoomTicket.new(TOPIC, [{ peerId: KEY_ID, addrs: [] }, { peerId: KEY_ID, addrs: [] }]))).toBe("bad-peer");
  });

  it("keeps the first addresses of a peer with too many", () => {
    const addrs = Array.from({ length: MAX_BOOTSTRAP_ADDRS + 3 }, (_, i) => `/ip4/10.0.0.${i}/tcp/4001`);
    const t = RoomTicket.new(TOPIC, [{ peerId: KEY_ID, addrs }]);
    expect(t.bootstrap[0]?.addrs).toEqual(addrs.slice(0, MAX_BOOTSTRAP_ADDRS));
  });

  it("strips a trailing /p2p/<own id>", () => {
    const t = RoomTicket.new(TOPIC, [{ peerId: KEY_ID, addrs: [`/ip4/10.0.0.1/tcp/4001/p2p/${KEY_ID}`] }]);
    expect(t.bootstrap[0]?.addrs).toEqual(["/ip4/10.0.0.1/tcp/4001"]);
  });

  it("withBootstrap keeps the topic and leaves the original alone", () => {
    const t = RoomTicket.generate();
    const u = t.withBootstrap([{ peerId: KEY_ID, addrs: ["/ip4/10.0.0.1/tcp/1"] }]);
    expect(u.topic).toEqual(t.topic);
    expect(u.bootstrap).toHaveLength(1);
    expect(t.bootstrap).toHaveLength(0);
  });

  it("is immutable: topic is a copy, bootstrap is frozen", () => {
    const t = RoomTicket.new(TOPIC, [{ peerId: KEY_ID, addrs: ["/ip4/10.0.0.1/tcp/1"] }]);
    const s = t.toString();
    t.topic.fill(0xff);
    expect(t.toString()).toBe(s);
    expect(Object.isFrozen(t.bootstrap)).toBe(true);
    expect(Object.isFrozen(t.bootstrap[0]?.addrs)).toBe(true);
  });

  it("topicHex is the lowercase IROH_LIVE_TOPIC form", () => {
    expect(RoomTicket.new(TOPIC).topicHex()).toBe("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  });
});

describe("tryParse", () => {
  it("returns data, not exceptions", () => {
    const ok = RoomTicket.tryParse(RoomTicket.new(TOPIC).toString());
    expect(ok.ok && ok.value.topicHex()).toBe(hex.encode(TOPIC));
    const bad = RoomTicket.tryParse("nope");
    expect(bad).toMatchObject({ ok: false, error: { code: "prefix" } });
    expect(!bad.ok && bad.error.message).toContain("room");
    expect(structuredClone(bad)).toEqual(bad);
  });

  it("treats a non-string as no ticket", () => {
    expect(RoomTicket.tryParse(undefined)).toMatchObject({ ok: false, error: { code: "empty" } });
    expect(RoomTicket.tryParse(42)).toMatchObject({ ok: false, error: { code: "empty" } });
  });
});

describe("fromEnv", () => {
  const topicHex = hex.encode(TOPIC);
  const ticket = RoomTicket.new(new Uint8Array(32).fill(7), [{ peerId: KEY_ID, addrs: ["/ip4/10.0.0.1/tcp/1"] }]).toString();

  it("prefers IROH_LIVE_ROOM", () => {
    expect(RoomTicket.fromEnv({ IROH_LIVE_ROOM: ticket, IROH_LIVE_TOPIC: topicHex }).toString()).toBe(ticket);
  });

  it("propagates a bad IROH_LIVE_ROOM instead of falling back", () => {
    expect(codeOf(() => RoomTicket.fromEnv({ IROH_LIVE_ROOM: "garbage", IROH_LIVE_TOPIC: topicHex }))).toBe("prefix");
  });

  it("uses IROH_LIVE_TOPIC with no bootstrap peers", () => {
    const t = RoomTicket.fromEnv({ IROH_LIVE_TOPIC: topicHex });
    expect(t.topic).toEqual(TOPIC);
    expect(t.bootstrap).toEqual([]);
    expect(RoomTicket.fromEnv({ IROH_LIVE_TOPIC: topicHex.toUpperCase() }).topic).toEqual(TOPIC);
  });

  it("rejects a malformed IROH_LIVE_TOPIC", () => {
    for (const bad of [topicHex.slice(2), `${topicHex}00`, `${topicHex.slice(1)}g`, "xyz"]) {
      expect(codeOf(() => RoomTicket.fromEnv({ IROH_LIVE_TOPIC: bad })), bad).toBe("bad-topic");
    }
  });

  it("generates a new room when neither is set (empty counts as unset)", () => {
    const a = RoomTicket.fromEnv({});
    const b = RoomTicket.fromEnv({ IROH_LIVE_ROOM: "", IROH_LIVE_TOPIC: " " });
    expect(a.bootstrap).toEqual([]);
    expect(a.topic).toHaveLength(32);
    expect(a.topicHex()).not.toBe(b.topicHex());
  });
});
