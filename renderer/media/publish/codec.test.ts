import { describe, expect, it } from "vitest";
import { avcLevel, chooseVideoCodec, codecString, encoderConfig, type ConfigProbe } from "./codec.ts";
import { cameraPlan, screenPlan } from "./renditions.ts";

describe("codecString", () => {
  it("names H.264 as avc3 constrained baseline at the lowest fitting level", () => {
    expect(codecString("h264", 640, 360, 30)).toBe("avc3.42e01e");
    expect(codecString("h264", 1280, 720, 30)).toBe("avc3.42e01f");
    expect(codecString("h264", 1920, 1080, 30)).toBe("avc3.42e028");
    expect(codecString("vp8", 1280, 720, 30)).toBe("vp8");
  });

  it("refuses sizes beyond H.264", () => {
    expect(() => avcLevel(16_384, 16_384, 30)).toThrow(RangeError);
  });
});

describe("encoderConfig", () => {
  it("asks for Annex B only for H.264, always realtime", () => {
    const plan = screenPlan({ width: 800, height: 450 });
    expect(encoderConfig("h264", plan)).toMatchObject({ avc: { format: "annexb" }, latencyMode: "realtime", width: 800, height: 450 });
    expect(encoderConfig("vp8", plan)).not.toHaveProperty("avc");
  });
});

describe("chooseVideoCodec", () => {
  const plans = cameraPlan({ width: 1280, height: 720, framerate: 30 });
  const only = (ok: (c: VideoEncoderConfig) => boolean): ConfigProbe => (c) => Promise.resolve(ok(c));

  it("prefers H.264", async () => {
    expect(await chooseVideoCodec(plans, only(() => true))).toBe("h264");
  });

  it("falls back to VP8, then VP9, when H.264 is missing", async () => {
    expect(await chooseVideoCodec(plans, only((c) => !c.codec.startsWith("avc")))).toBe("vp8");
    expect(await chooseVideoCodec(plans, only((c) => c.codec.startsWith("vp09")))).toBe("vp9");
  });

  it("needs every rendition supported", async () => {
    // An H.264 encoder limited to 360p cannot carry the 720p rendition, so the whole broadcast uses VP8.
    expect(await chooseVideoCodec(plans, only((c) => c.codec === "vp8" || c.height <= 360))).toBe("vp8");
  });

  it("is undefined when nothing encodes", async () => {
    expect(await chooseVideoCodec(plans, only(() => false))).toBeUndefined();
  });
});
