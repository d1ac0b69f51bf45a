import { describe, expect, it } from "vitest";
import { accessHelp, requestCallMedia } from "./media-access.ts";

const devices = (impl: () => Promise<MediaStream>): MediaDevices => ({ getUserMedia: impl }) as unknown as MediaDevices;
const fail = (name: string) => () => Promise.reject(Object.assign(new Error(name), { name }));

describe("requestCallMedia", () => {
  it("grants, and stops the probe's tracks", async () => {
    let stopped = 0;
    const stream = { getTracks: () => [{ stop: () => stopped++ }, { stop: () => stopped++ }] } as unknown as MediaStream;
    expect(await requestCallMedia(devices(() => Promise.resolve(stream)))).toEqual({ state: "granted" });
    expect(stopped).toBe(2);
  });

  it.each([
    ["NotAllowedError", "denied"],
    ["NotFoundError", "unavailable"],
    ["NotReadableError", "error"],
  ])("maps %s to %s", async (name, state) => {
    expect((await requestCallMedia(devices(fail(name)))).state).toBe(state);
  });

  it("reports a browser without media devices", async () => {
    expect((await requestCallMedia(undefined)).state).toBe("unavailable");
  });
});

describe("accessHelp", () => {
  it("explains per platform", () => {
    expect(accessHelp("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Electron/45.4.1")).toContain("System Settings");
    expect(accessHelp("Mozilla/5.0 (Windows NT 10.0) Electron/45.4.1")).toContain("Let desktop apps access");
    expect(accessHelp("Mozilla/5.0 (X11; Linux x86_64) Chrome/156")).toContain("address bar");
  });
});
