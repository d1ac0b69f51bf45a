import { describe, expect, it } from "vitest";
import { joinLink, ticketFromArgv, ticketFromInput, ticketFromLink } from "./links.ts";

describe("join links", () => {
  it("unwraps a join link and round-trips joinLink", () => {
    expect(ticketFromLink("liverooms://join/roomabc")).toBe("roomabc");
    expect(ticketFromLink(joinLink("roomxyz"))).toBe("roomxyz");
    expect(ticketFromLink("  LiveRooms://JOIN/roomabc/ ")).toBe("roomabc");
  });

  it("decodes percent-encoding the OS may add", () => {
    expect(ticketFromLink("liverooms://join/room%61bc")).toBe("roomabc");
    expect(ticketFromLink("liverooms://join/room%zz")).toBe("room%zz");
  });

  it("leaves other text alone", () => {
    expect(ticketFromLink("roomabc")).toBeUndefined();
    expect(ticketFromLink("https://join/roomabc")).toBeUndefined();
    expect(ticketFromInput("  roomabc \n")).toBe("roomabc");
    expect(ticketFromInput("liverooms://join/roomabc")).toBe("roomabc");
  });

  it("finds the link among command-line arguments", () => {
    expect(ticketFromArgv(["/usr/bin/live-rooms", "--flag", "liverooms://join/roomq"])).toBe("roomq");
    expect(ticketFromArgv(["/usr/bin/live-rooms"])).toBeUndefined();
  });
});
