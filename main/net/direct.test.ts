import { generateKeyPair } from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { multiaddr } from "@multiformats/multiaddr";
import { describe, expect, it } from "vitest";
import { ticketAddrs } from "./addrs.ts";
import { relayBeforeWebRTC, stunServers } from "./node.ts";
import { webrtcAddrOf } from "./path-upgrade.ts";

const R = "12D3KooWLiQnKwuF7sLyyQFD1D6Jy4jgddrygsLyAerUnbpgZo9d";
const circuit = `/ip4/198.18.1.1/tcp/4001/p2p/${R}/p2p-circuit`;

describe("direct-path helpers", () => {
  it("dials relay circuits before WebRTC addresses, direct TCP first", () => {
    const addrs = [`${circuit}/webrtc`, circuit, "/ip4/198.18.9.9/tcp/4001", "/ip4/127.0.0.1/tcp/4001"].map((a) => ({ multiaddr: multiaddr(a), isCertified: false }));
    expect(addrs.sort(relayBeforeWebRTC).map((a) => a.multiaddr.toString())).toEqual(["/ip4/198.18.9.9/tcp/4001", circuit, "/ip4/127.0.0.1/tcp/4001", `${circuit}/webrtc`]);
  });

  it("derives the WebRTC address from a relayed connection's address", async () => {
    const peer = peerIdFromPrivateKey(await generateKeyPair("Ed25519"));
    expect(webrtcAddrOf(multiaddr(`${circuit}/p2p/${peer.toString()}`), peer)?.toString()).toBe(`${circuit}/webrtc/p2p/${peer.toString()}`);
    expect(webrtcAddrOf(multiaddr("/ip4/10.0.0.1/tcp/1"), peer)).toBeUndefined();
  });

  it("keeps WebRTC addresses out of tickets", () => {
    expect(ticketAddrs(["/ip4/10.0.0.1/tcp/1", circuit, `${circuit}/webrtc`])).toEqual(["/ip4/10.0.0.1/tcp/1", circuit]);
  });

  it("turns --stun entries into ICE servers and never falls back to public ones", () => {
    expect(stunServers([])).toEqual([]);
    expect(stunServers(["198.18.1.1:3478", "stun.example.org:3478"])).toEqual([{ urls: ["stun:198.18.1.1:3478", "stun:stun.example.org:3478"] }]);
  });
});
