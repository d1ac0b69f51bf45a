import { describe, expect, it } from "vitest";
import { rankAddrs } from "./addrs.ts";

const RELAY = "12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN";

describe("rankAddrs", () => {
  it("puts public, then private, then relay circuits, then loopback", () => {
    const circuit = `/ip4/198.18.1.1/tcp/4001/p2p/${RELAY}/p2p-circuit`;
    const addrs = ["/ip4/127.0.0.1/tcp/1", circuit, "/ip4/10.1.0.2/tcp/1", "/ip4/203.0.113.7/tcp/1", "/ip4/192.168.1.4/tcp/1"];
    expect(rankAddrs(addrs)).toEqual(["/ip4/203.0.113.7/tcp/1", "/ip4/10.1.0.2/tcp/1", "/ip4/192.168.1.4/tcp/1", circuit, "/ip4/127.0.0.1/tcp/1"]);
  });
});
