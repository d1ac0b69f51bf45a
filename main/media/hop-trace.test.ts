import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { encodeLegacyFrame } from "../../shared/media/container.ts";
import { wallClockMicros } from "./time.ts";

const dirs: string[] = [];
afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The module reads ROOMS_MEDIA_TRACE when loaded: load a fresh copy with `file` set (or not). */
async function load(file: string | undefined): Promise<typeof import("./hop-trace.ts")> {
  vi.resetModules();
  vi.stubEnv("ROOMS_MEDIA_TRACE", file ?? "");
  return import("./hop-trace.ts");
}

describe("hop trace", () => {
  it("is off without ROOMS_MEDIA_TRACE", async () => {
    const { hopTracer } = await load(undefined);
    expect(hopTracer("ui-in", "video/h264-360p")).toBeUndefined();
  });

  it("appends the age of wall-clock-stamped media frames, once a second, and skips everything else", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hop-trace-"));
    dirs.push(dir);
    const file = join(dir, "hops.jsonl");
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    const { hopTracer } = await load(file);
    expect(hopTracer("peer-in", "chat")).toBeUndefined();
    expect(hopTracer("peer-in", "catalog.json")).toBeUndefined();
    const trace = hopTracer("peer-in", "video/h264-360p")!;
    trace(encodeLegacyFrame(wallClockMicros() - 50_000, new Uint8Array([1])));
    trace(encodeLegacyFrame(40_000, new Uint8Array([2]))); // a media clock (a test clip): no delay to tell
    trace(new Uint8Array([0xff])); // not legacy framing
    vi.advanceTimersByTime(1000);
    const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { hop: string; track: string; ageMs: number });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ hop: "peer-in", track: "video/h264-360p" });
    expect(lines[0]!.ageMs).toBeGreaterThanOrEqual(50);
    expect(lines[0]!.ageMs).toBeLessThan(5_000);
  });
});
