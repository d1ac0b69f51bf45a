import { describe, expect, it } from "vitest";
import { LIMITS } from "../../shared/ipc.ts";
import { parseCommand } from "./commands.ts";

const err = (r: ReturnType<typeof parseCommand>): string => (r.ok ? "ok" : r.error.code);

describe("parseCommand", () => {
  it("accepts well-formed commands and trims display names", () => {
    const r = parseCommand("createRoom", [{ displayName: "  Ada " }]);
    expect(r).toEqual({ ok: true, value: { method: "createRoom", args: [{ displayName: "Ada" }] } });
    expect(err(parseCommand("leaveRoom", []))).toBe("ok");
    expect(err(parseCommand("pickScreenSource", [{ requestId: "r1", sourceId: null }]))).toBe("ok");
  });

  it("refuses unknown and inherited names", () => {
    for (const m of ["nope", "constructor", "__proto__", "toString", 42, undefined]) expect(err(parseCommand(m, []))).toBe("unknown-command");
  });

  it.each([
    ["createRoom", []],
    ["createRoom", [{}]],
    ["createRoom", [{ displayName: "   " }]],
    ["createRoom", [{ displayName: "é".repeat(LIMITS.displayNameBytes) }]],
    ["createRoom", [{ displayName: 7 }]],
    ["createRoom", "not an array"],
    ["joinRoom", [{ ticket: "x".repeat(LIMITS.ticketChars + 1), displayName: "Ada" }]],
    ["joinRoom", [{ displayName: "Ada" }]],
    ["sendChat", [{ text: "" }]],
    ["sendChat", [{ text: "x".repeat(LIMITS.chatBytes + 1) }]],
    ["leaveRoom", [1]],
    ["getTicket", [undefined]],
    ["pickScreenSource", [{ requestId: "", sourceId: null }]],
  ] as const)("refuses %s %j", (method, args) => {
    const r = parseCommand(method, args);
    expect(err(r)).toBe("bad-args");
    if (!r.ok) expect(r.error.message).toMatch(new RegExp(`^${method}: `));
  });

  it("accepts a display name at exactly the byte limit", () => {
    expect(err(parseCommand("setDisplayName", [{ displayName: "é".repeat(LIMITS.displayNameBytes / 2) }]))).toBe("ok");
  });
});
