import { describe, expect, it } from "vitest";
import { updatesEnabled } from "./updater.ts";

const base = { isPackaged: true, resourcesPath: "/app/resources", env: {}, exists: (p: string) => p === "/app/resources/app-update.yml" };

describe("updatesEnabled", () => {
  it("runs only in a packaged app with a publish target", () => {
    expect(updatesEnabled(base)).toBe(true);
    expect(updatesEnabled({ ...base, isPackaged: false })).toBe(false);
    expect(updatesEnabled({ ...base, exists: () => false })).toBe(false);
  });

  it("can be switched off for managed installs", () => {
    expect(updatesEnabled({ ...base, env: { LIVE_ROOMS_NO_UPDATES: "1" } })).toBe(false);
  });
});
