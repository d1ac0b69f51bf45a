/**
 * The invoke handler with Electron's module mocked: only the objects it touches (ipcMain, and a fake
 * event with senderFrame). Fails if the sender check were inverted or skipped.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { silentLog } from "../log.ts";

const handlers = new Map<string, (...args: unknown[]) => unknown>();
vi.mock("electron", () => ({
  ipcMain: {
    handle: (channel: string, fn: (...args: unknown[]) => unknown) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { handleCommands } = await import("./ipc.ts");
const { INVOKE_CHANNEL } = await import("../../shared/ipc-channels.ts");
const { APP_URL } = await import("./app-url.ts");

const event = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });

describe("IPC command handler", () => {
  const invoke = vi.fn((_method: unknown, _args: unknown) => Promise.resolve({ ok: true as const, value: "ran" }));
  beforeEach(() => {
    invoke.mockClear();
    handlers.clear();
  });

  it("runs commands from our page and returns the service's result", async () => {
    handleCommands({ invoke }, silentLog);
    const handler = handlers.get(INVOKE_CHANNEL)!;
    expect(await handler(event(APP_URL), "getTicket", [])).toEqual({ ok: true, value: "ran" });
    expect(invoke).toHaveBeenCalledWith("getTicket", []);
  });

  it.each([
    ["another origin", event("https://evil.example/")],
    ["a subframe of our page", event(APP_URL, { url: APP_URL })],
    ["a destroyed frame", { senderFrame: null }],
  ])("refuses %s without running anything", async (_what, ev) => {
    handleCommands({ invoke }, silentLog);
    const result = await handlers.get(INVOKE_CHANNEL)!(ev, "leaveRoom", []);
    expect(result).toEqual({ ok: false, error: { code: "forbidden", message: "not our page" } });
    expect(invoke).not.toHaveBeenCalled();
  });

  it("removes its handler", () => {
    const remove = handleCommands({ invoke }, silentLog);
    remove();
    expect(handlers.has(INVOKE_CHANNEL)).toBe(false);
  });
});
