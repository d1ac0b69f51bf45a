/**
 * Room tickets: everything needed to join a room, as one string a user can paste.
 *
 * String: "room" ‖ lowercase(base32(body)), RFC 4648 alphabet (A–Z, 2–7), no padding. Parsing trims surrounding
 * whitespace, requires the prefix "room" exactly (lowercase, as iroh-tickets does), then decodes the rest
 * case-insensitively.
 *
 * Body (postcard, so every varint is unsigned LEB128 in its shortest form):
 *   varint(N)                                 bootstrap peer count, N ≤ 8
 *   N × BootstrapPeer:
 *     [u8; 32]                                raw Ed25519 public key; the libp2p peer id is derived from it
 *     varint(M)                               address count, M ≤ 8
 *     M × (varint(len) ‖ [u8; len])           binary multiaddr, 1 ≤ len ≤ 128, with no /p2p/ component except
 *                                             in a relay circuit: <relay addr>/p2p/<relay id>/p2p-circuit
 *   [u8; 32]                                  topic: the room's id
 *
 * The field order is iroh-live's (`RoomTicket { bootstrap: Vec<EndpointId>, topic_id: TopicId }`), so a ticket
 * with no bootstrap peers is byte-identical to iroh-live's. Peers differ: iroh finds a peer from its id alone
 * (relays, DNS discovery), libp2p cannot, so each peer carries the addresses to dial it at. A ticket with
 * bootstrap peers is therefore not readable by iroh-live, nor is theirs by us.
 */
import { base32nopad, hex } from "@scure/base";
import { publicKeyFromRaw } from "@libp2p/crypto/keys";
import { peerIdFromPublicKey, peerIdFromString } from "@libp2p/peer-id";
import { multiaddr, type Multiaddr } from "@multiformats/multiaddr";
import { ProtocolViolation } from "./codec/errors.ts";
import { PostcardReader, PostcardWriter } from "./codec/postcard.ts";

/** Most bootstrap peers a ticket may name. */
export const MAX_BOOTSTRAP_PEERS = 8;
/** Most addresses per bootstrap peer (building keeps the first ones; parsing rejects more). */
export const MAX_BOOTSTRAP_ADDRS = 8;
/** Longest binary multiaddr in a ticket. */
export const MAX_BOOTSTRAP_ADDR_BYTES = 128;
/** Length of a room topic. */
export const TOPIC_BYTES = 32;
/** Prefix of every ticket string (iroh-tickets `KIND`). */
export const TICKET_PREFIX = "room";

const KEY_BYTES = 32;
const P2P_CODE = 421;
const P2P_CIRCUIT_CODE = 290;
/** Largest body the caps allow: N and each M fit one varint byte, each address length two. */
const MAX_BODY_BYTES = 1 + MAX_BOOTSTRAP_PEERS * (KEY_BYTES + 1 + MAX_BOOTSTRAP_ADDRS * (2 + MAX_BOOTSTRAP_ADDR_BYTES)) + TOPIC_BYTES;
/** Longest ticket string parse will look at, so a pasted novel is refused before it is decoded. */
export const MAX_TICKET_CHARS = TICKET_PREFIX.length + Math.ceil((MAX_BODY_BYTES * 8) / 5);

/** A peer to dial when joining: its libp2p peer id ("12D3KooW…", Ed25519 only) and multiaddrs without /p2p/<id>. */
export interface BootstrapPeer {
  readonly peerId: string;
  readonly addrs: readonly string[];
}

/** Why a ticket was refused. */
export type TicketErrorCode =
  | "empty"
  | "prefix"
  | "too-long"
  | "base32"
  | "truncated"
  | "topic-length"
  | "too-many-peers"
  | "bad-peer"
  | "bad-topic";

/** A ticket that could not be parsed or built; `message` is fit to show a user. */
export class TicketError extends Error {
  override name = "TicketError";
  /** Machine-readable reason. */
  readonly code: TicketErrorCode;

  constructor(code: TicketErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** Result of {@link RoomTicket.tryParse}: data only, so it survives IPC. */
export type TicketParseResult = { ok: true; value: RoomTicket } | { ok: false; error: { code: TicketErrorCode; message: string } };

/** A validated peer with its wire form alongside. */
interface Peer {
  key: Uint8Array;
  peerId: string;
  addrs: Multiaddr[];
}

/** The room to join (topic) and the peers to reach it through (bootstrap). Immutable. */
export class RoomTicket {
  readonly #topic: Uint8Array;
  readonly #body: Uint8Array;
  /** Peers to dial on join, in ticket order. */
  readonly bootstrap: readonly BootstrapPeer[];

  private constructor(topic: Uint8Array, peers: readonly Peer[]) {
    const seen = new Set<string>();
    for (const p of peers) {
      if (seen.has(p.peerId)) throw new TicketError("bad-peer", `bootstrap peer ${p.peerId} is listed twice`);
      seen.add(p.peerId);
    }
    this.#topic = topic.slice();
    this.bootstrap = Object.freeze(peers.map((p) => Object.freeze({ peerId: p.peerId, addrs: Object.freeze(p.addrs.map(String)) })));
    const w = new PostcardWriter();
    w.vec(peers, (w2, p) => w2.fixed(p.key).vec(p.addrs, (w3, a) => w3.bytes(a.bytes)));
    this.#body = w.fixed(this.#topic).finish();
  }

  /** The 32-byte room topic (a copy). */
  get topic(): Uint8Array {
    return this.#topic.slice();
  }

  /** A ticket for a new room: random topic, no bootstrap peers (iroh-live `RoomTicket::generate`). */
  static generate(): RoomTicket {
    return new RoomTicket(globalThis.crypto.getRandomValues(new Uint8Array(TOPIC_BYTES)), []);
  }

  /** Build a ticket; keeps each peer's first {@link MAX_BOOTSTRAP_ADDRS} addresses, throws {@link TicketError} otherwise. */
  static new(topic: Uint8Array, bootstrap: readonly BootstrapPeer[] = []): RoomTicket {
    if (topic.length !== TOPIC_BYTES) throw new TicketError("topic-length", `a topic is ${TOPIC_BYTES} bytes, got ${topic.length}`);
    if (bootstrap.length > MAX_BOOTSTRAP_PEERS) {
      throw new TicketError("too-many-peers", `a ticket names at most ${MAX_BOOTSTRAP_PEERS} bootstrap peers, got ${bootstrap.length}`);
    }
    return new RoomTicket(topic, bootstrap.map(peerFromStrings));
  }

  /**
   * The ticket named by the environment (iroh-live `RoomTicket::new_from_env`): `IROH_LIVE_ROOM` (a ticket; parse
   * errors propagate), else `IROH_LIVE_TOPIC` (64 hex characters), else a new room. Empty values count as unset.
   */
  static fromEnv(env: Record<string, string | undefined>): RoomTicket {
    const room = env["IROH_LIVE_ROOM"]?.trim();
    if (room) return RoomTicket.parse(room);
    const topic = env["IROH_LIVE_TOPIC"]?.trim();
    if (topic) {
      if (!/^[0-9a-fA-F]{64}$/.test(topic)) {
        throw new TicketError("bad-topic", "IROH_LIVE_TOPIC must be 64 hexadecimal characters (a 32-byte topic)");
      }
      return RoomTicket.new(hex.decode(topic.toLowerCase()));
    }
    return RoomTicket.generate();
  }

  /** Parse a ticket string; throws {@link TicketError} with a specific code. */
  static parse(s: string): RoomTicket {
    const text = s.trim();
    if (text === "") throw new TicketError("empty", "the ticket is empty");
    if (!text.startsWith(TICKET_PREFIX)) throw new TicketError("prefix", `a room ticket starts with "${TICKET_PREFIX}"`);
    if (text.length > MAX_TICKET_CHARS) {
      throw new TicketError("too-long", `the ticket is ${text.length} characters, longer than any valid ticket (${MAX_TICKET_CHARS})`);
    }
    const data = text.slice(TICKET_PREFIX.length);
    // ASCII-only check before upper-casing: String#toUpperCase maps "ı" to "I" and "ſ" to "S".
    const bad = data.search(/[^A-Za-z2-7]/);
    if (bad >= 0) {
      throw new TicketError("base32", `the ticket contains an invalid character ${JSON.stringify(data[bad])} at position ${TICKET_PREFIX.length + bad}`);
    }
    let body: Uint8Array;
    try {
      body = base32nopad.decode(data.toUpperCase());
    } catch (err) {
      throw new TicketError("base32", "the ticket has an invalid length or ending; was it cut off?", { cause: err });
    }
    const { topic, peers } = decodeBody(body);
    return new RoomTicket(topic, peers);
  }

  /** Parse without throwing, for UI and IPC; a non-string counts as no ticket. */
  static tryParse(s: unknown): TicketParseResult {
    try {
      if (typeof s !== "string") throw new TicketError("empty", "no ticket was given");
      return { ok: true, value: RoomTicket.parse(s) };
    } catch (err) {
      if (err instanceof TicketError) return { ok: false, error: { code: err.code, message: err.message } };
      throw err;
    }
  }

  /** The ticket string ("room…"). */
  toString(): string {
    return TICKET_PREFIX + base32nopad.encode(this.#body).toLowerCase();
  }

  /** The topic as 64 lowercase hex characters (the `IROH_LIVE_TOPIC` form). */
  topicHex(): string {
    return hex.encode(this.#topic);
  }

  /** The same room with a different bootstrap list (validated like {@link RoomTicket.new}). */
  withBootstrap(peers: readonly BootstrapPeer[]): RoomTicket {
    return RoomTicket.new(this.#topic, peers);
  }
}

function decodeBody(body: Uint8Array): { topic: Uint8Array; peers: Peer[] } {
  const r = new PostcardReader(body);
  const count = read(() => r.varint(), "too-many-peers", "bootstrap peer count");
  if (count > MAX_BOOTSTRAP_PEERS) {
    throw new TicketError("too-many-peers", `the ticket names ${count} bootstrap peers, at most ${MAX_BOOTSTRAP_PEERS} are allowed`);
  }
  const peers: Peer[] = [];
  for (let i = 0; i < count; i++) {
    const key = read(() => r.fixed(KEY_BYTES), "bad-peer", `bootstrap peer ${i + 1} key`);
    const raw = read(() => r.vec(MAX_BOOTSTRAP_ADDRS, (r2) => r2.bytes(MAX_BOOTSTRAP_ADDR_BYTES)), "bad-peer", `bootstrap peer ${i + 1} addresses`);
    peers.push(peerFromWire(key, raw));
  }
  if (r.remaining !== TOPIC_BYTES) {
    throw new TicketError("topic-length", `the ticket should end with a ${TOPIC_BYTES}-byte topic, found ${r.remaining} bytes`);
  }
  return { topic: r.fixed(TOPIC_BYTES), peers };
}

/** Run one read of the body: truncation becomes "truncated", any other violation `code`. */
function read<T>(fn: () => T, code: TicketErrorCode, what: string): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof ProtocolViolation)) throw err;
    if (err.code === "truncated") throw new TicketError("truncated", `the ticket ends inside the bootstrap list (${what}); was it cut off?`, { cause: err });
    throw new TicketError(code, `invalid ${what}: ${err.message}`, { cause: err });
  }
}

function peerFromWire(key: Uint8Array, raw: Uint8Array[]): Peer {
  let peerId: string;
  try {
    peerId = peerIdFromPublicKey(publicKeyFromRaw(key)).toString();
  } catch (err) {
    throw new TicketError("bad-peer", "a bootstrap peer has an invalid public key", { cause: err });
  }
  const addrs = raw.map((bytes) => {
    let ma: Multiaddr;
    try {
      ma = multiaddr(bytes);
    } catch (err) {
      throw new TicketError("bad-peer", `bootstrap peer ${peerId} has an invalid address`, { cause: err });
    }
    // Re-encoding must give the same bytes, so the ticket has one meaning and toString reproduces it.
    if (!equalBytes(ma.bytes, bytes)) throw new TicketError("bad-peer", `bootstrap peer ${peerId} has a non-canonical address`);
    return normalizeAddr(ma, peerId);
  });
  return { key, peerId, addrs };
}

function peerFromStrings(p: BootstrapPeer): Peer {
  let key: Uint8Array;
  let peerId: string;
  try {
    const id = peerIdFromString(p.peerId);
    if (id.type !== "Ed25519") throw new Error(`${id.type} peer ids cannot be put in a ticket`);
    key = id.publicKey.raw;
    peerId = id.toString();
  } catch (err) {
    throw new TicketError("bad-peer", `${JSON.stringify(p.peerId)} is not an Ed25519 peer id`, { cause: err });
  }
  const addrs = p.addrs.slice(0, MAX_BOOTSTRAP_ADDRS).map((a) => {
    try {
      return normalizeAddr(multiaddr(a), peerId);
    } catch (err) {
      if (err instanceof TicketError) throw err;
      throw new TicketError("bad-peer", `${JSON.stringify(a)} is not a multiaddr`, { cause: err });
    }
  });
  return { key, peerId, addrs };
}

/**
 * Drop a trailing /p2p/<own id>; refuse empty and oversized addresses, and addresses through another peer
 * except one relay circuit, `<relay transport>/p2p/<relay id>/p2p-circuit` (the peer reached through that relay).
 */
function normalizeAddr(ma: Multiaddr, peerId: string): Multiaddr {
  const last = ma.getComponents().at(-1);
  const out = last?.code === P2P_CODE && last.value === peerId ? ma.decapsulateCode(P2P_CODE) : ma;
  const components = out.getComponents();
  if (components.length === 0) throw new TicketError("bad-peer", `bootstrap peer ${peerId} has an empty address`);
  const relayAt = components.findIndex((c) => c.code === P2P_CODE);
  const isCircuit = relayAt >= 1 && relayAt === components.length - 2 && components.at(-1)?.code === P2P_CIRCUIT_CODE
    && components[relayAt]?.value !== peerId && !components.slice(0, relayAt).some((c) => c.code === P2P_CIRCUIT_CODE);
  if (!isCircuit && components.some((c) => c.code === P2P_CODE || c.code === P2P_CIRCUIT_CODE)) {
    throw new TicketError("bad-peer", `address ${out.toString()} of bootstrap peer ${peerId} goes through another peer and is not a relay circuit`);
  }
  if (out.bytes.length > MAX_BOOTSTRAP_ADDR_BYTES) {
    throw new TicketError("bad-peer", `address ${out.toString()} is longer than ${MAX_BOOTSTRAP_ADDR_BYTES} bytes`);
  }
  return out;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
