import { describe, expect, it } from "vitest";
import { Connectivity } from "./connectivity.ts";

describe("Connectivity", () => {
  it("a created room is joined at once, alone", () => {
    expect(new Connectivity({ expectPeers: false }).state).toBe("joined");
  });

  it("joining from a ticket stays connecting until a room peer appears", () => {
    const c = new Connectivity({ expectPeers: true });
    expect(c.state).toBe("connecting");
    c.connected("A");
    expect(c.state).toBe("connecting");
    c.peerJoined("A");
    expect(c.state).toBe("joined");
  });

  it("losing every connection to present peers is reconnecting; any one back is joined", () => {
    const c = new Connectivity({ expectPeers: false });
    for (const id of ["A", "B"]) {
      c.connected(id);
      c.peerJoined(id);
    }
    c.disconnected("A");
    expect(c.state).toBe("joined");
    c.disconnected("B");
    expect(c.state).toBe("reconnecting");
    c.connected("B");
    expect(c.state).toBe("joined");
  });

  it("peers lost to a dropped connection keep us reconnecting until forgotten or back", () => {
    const c = new Connectivity({ expectPeers: false });
    c.connected("A");
    c.peerJoined("A");
    c.disconnected("A");
    c.peerLeft("A", "connection-lost");
    expect(c.state).toBe("reconnecting");
    c.connected("A");
    c.peerJoined("A");
    expect(c.state).toBe("joined");
    c.disconnected("A");
    c.peerLeft("A", "connection-lost");
    c.forgetLost("A");
    expect(c.state).toBe("joined");
  });

  it("a peer that left on purpose does not make us reconnect", () => {
    const c = new Connectivity({ expectPeers: false });
    c.connected("A");
    c.peerJoined("A");
    c.disconnected("A");
    c.peerLeft("A", "left");
    expect(c.state).toBe("joined");
  });

  it("one reachable peer is enough while another is lost", () => {
    const c = new Connectivity({ expectPeers: false });
    c.connected("A");
    c.peerJoined("A");
    c.connected("B");
    c.peerJoined("B");
    c.disconnected("B");
    c.peerLeft("B", "connection-lost");
    expect(c.state).toBe("joined");
  });
});
