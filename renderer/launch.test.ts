import { describe, expect, it, vi } from "vitest";
import { readLaunchParams } from "./launch.ts";

describe("readLaunchParams", () => {
  it("takes the token out of the address bar and keeps the rest", () => {
    const replaceState = vi.fn();
    const p = readLaunchParams({ href: "http://127.0.0.1:5/?token=abc&ticket=roomxyz#x" }, { replaceState });
    expect(p).toEqual({ token: "abc", ticket: "roomxyz" });
    expect(replaceState).toHaveBeenCalledWith(null, "", "/?ticket=roomxyz#x");
  });

  it("unwraps a liverooms:// link passed as the ticket, and ignores an empty one", () => {
    expect(readLaunchParams({ href: "http://h/?ticket=" + encodeURIComponent("liverooms://join/roomabc") }, undefined).ticket).toBe("roomabc");
    expect(readLaunchParams({ href: "http://h/?ticket=%20" }, undefined).ticket).toBeUndefined();
  });

  it("leaves the URL alone when there is no token (Electron, or after a reload)", () => {
    const replaceState = vi.fn();
    expect(readLaunchParams({ href: "app://live-rooms/index.html" }, { replaceState })).toEqual({ token: undefined, ticket: undefined });
    expect(replaceState).not.toHaveBeenCalled();
  });
});
