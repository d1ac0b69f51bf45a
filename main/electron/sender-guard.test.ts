import { describe, expect, it } from "vitest";
import { APP_URL } from "./app-url.ts";
import { isTrustedSender } from "./sender-guard.ts";

const top = (url: string) => ({ senderFrame: { url, parent: null } });

describe("isTrustedSender", () => {
  it("trusts our page's top frame", () => {
    expect(isTrustedSender(top(APP_URL))).toBe(true);
    expect(isTrustedSender(top("app://live-rooms/index.html?ticket=roomabc#x"))).toBe(true);
  });

  it.each([
    ["another site", "https://evil.example/"],
    ["a local file", "file:///opt/live-rooms/out/renderer/index.html"],
    ["our scheme, another host", "app://evil/index.html"],
    ["our host with credentials", "app://user:pw@live-rooms/index.html"],
    ["a lookalike host", "app://live-rooms.evil/index.html"],
    ["browser mode's http origin", "http://127.0.0.1:4000/"],
    ["about:blank", "about:blank"],
    ["garbage", "not a url"],
  ])("refuses %s", (_what, url) => {
    expect(isTrustedSender(top(url))).toBe(false);
  });

  it("refuses a subframe even of our page, and a frame that is gone", () => {
    expect(isTrustedSender({ senderFrame: { url: APP_URL, parent: { url: APP_URL } } })).toBe(false);
    expect(isTrustedSender({ senderFrame: null })).toBe(false);
  });
});
