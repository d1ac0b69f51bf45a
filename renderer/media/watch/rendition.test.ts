import { describe, expect, it } from "vitest";
import { chooseRendition, RenditionGovernor, type Rendition } from "./rendition.ts";

const r = (name: string, w: number, h: number): Rendition => ({ name, config: { codec: "vp8", container: { kind: "legacy" }, codedWidth: w, codedHeight: h } });
const all = [r("video/hd", 1280, 720), r("video/sd", 640, 360), r("video/ld", 320, 180)];

describe("chooseRendition", () => {
  it("picks the smallest rendition that covers the tile", () => {
    expect(chooseRendition(all, 300, 170)?.name).toBe("video/ld");
    expect(chooseRendition(all, 321, 100)?.name).toBe("video/sd");
    expect(chooseRendition(all, 640, 360)?.name).toBe("video/sd");
    expect(chooseRendition(all, 641, 360)?.name).toBe("video/hd");
  });

  it("falls back to the largest when none covers the tile", () => {
    expect(chooseRendition(all, 1920, 1080)?.name).toBe("video/hd");
  });

  it("respects a cap on the ranked index", () => {
    expect(chooseRendition(all, 1920, 1080, 1)?.name).toBe("video/sd");
    expect(chooseRendition(all, 1920, 1080, 0)?.name).toBe("video/ld");
    expect(chooseRendition(all, 100, 100, 0)?.name).toBe("video/ld");
  });

  it("is undefined without renditions", () => {
    expect(chooseRendition([], 100, 100)).toBeUndefined();
  });
});

describe("RenditionGovernor", () => {
  it("lowers the cap after enough late events within the window, not before", () => {
    const g = new RenditionGovernor({ lateEvents: 3, windowMs: 1_000 });
    expect(g.late(0, 2)).toBe(false);
    expect(g.late(1_500, 2)).toBe(false); // the first one aged out
    expect(g.late(1_600, 2)).toBe(false);
    expect(g.late(1_700, 2)).toBe(true);
    expect(g.cap).toBe(1);
  });

  it("never lowers below the smallest rendition", () => {
    const g = new RenditionGovernor({ lateEvents: 1 });
    expect(g.late(0, 0)).toBe(false);
    expect(g.cap).toBe(Infinity);
  });

  it("raises after a quiet period, and waits longer after lowering again", () => {
    const g = new RenditionGovernor({ lateEvents: 1, recoverMs: 1_000, maxRecoverMs: 10_000 });
    g.late(0, 2);
    expect(g.cap).toBe(1);
    expect(g.tick(999, 3)).toBe(false);
    expect(g.tick(1_000, 3)).toBe(true);
    expect(g.cap).toBe(Infinity); // one step up from 1 is the top of 3 renditions
    g.late(1_100, 2);
    expect(g.cap).toBe(1);
    expect(g.tick(2_100, 3)).toBe(false); // the quiet time doubled
    expect(g.tick(3_100, 3)).toBe(true);
  });
});
