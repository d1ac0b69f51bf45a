import { describe, expect, it } from "vitest";
import { APP_URL } from "./app-url.ts";
import { allowPermission } from "./permissions.ts";

describe("allowPermission", () => {
  it("grants camera/microphone and screen capture to our page only", () => {
    expect(allowPermission("media", APP_URL)).toBe(true);
    expect(allowPermission("display-capture", "app://live-rooms/")).toBe(true);
    expect(allowPermission("media", "https://evil.example/")).toBe(false);
    expect(allowPermission("display-capture", undefined)).toBe(false);
  });

  it.each(["geolocation", "notifications", "clipboard-read", "openExternal", "hid", "usb", "fullscreen", "unknown"])("refuses %s even to our page", (p) => {
    expect(allowPermission(p, APP_URL)).toBe(false);
  });
});
