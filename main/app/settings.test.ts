import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { silentLog } from "../log.ts";
import { loadSettings, saveSettings, SETTINGS_FILE } from "./settings.ts";

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), "settings-test-"));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("settings", () => {
  it("round-trips the display name, privately", async () => {
    const dir = join(tmp(), "nested");
    expect(await loadSettings(dir, silentLog)).toEqual({});
    await saveSettings(dir, { displayName: "Ada" });
    expect(await loadSettings(dir, silentLog)).toEqual({ displayName: "Ada" });
    expect(statSync(join(dir, SETTINGS_FILE)).mode & 0o077).toBe(0);
  });

  it.each(["{not json", '{"displayName": 42}', "[]"])("treats a malformed file (%s) as empty and keeps it aside", async (text) => {
    const dir = tmp();
    writeFileSync(join(dir, SETTINGS_FILE), text);
    expect(await loadSettings(dir, silentLog)).toEqual({});
    const aside = readdirSync(dir).filter((f) => f.startsWith(`${SETTINGS_FILE}.corrupt-`));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0]!), "utf8")).toBe(text);
    await saveSettings(dir, { displayName: "B" });
    expect(JSON.parse(readFileSync(join(dir, SETTINGS_FILE), "utf8"))).toEqual({ displayName: "B" });
  });
});
