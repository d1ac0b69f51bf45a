/**
 * The media lab: small pages that run renderer/media/ pieces in real Chromium without the app around them
 * (publish and watch in one page over an in-process broadcast, codec probes). Built on demand by
 * e2e/harness/server.ts into out/harness; never part of the shipped renderer.
 */
import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { defineConfig } from "vite";

const root = import.meta.dirname;
const pages = Object.fromEntries(
  readdirSync(root)
    .filter((f) => f.endsWith(".html"))
    .map((f) => [f.replace(/\.html$/, ""), resolve(root, f)]),
);

export const config = defineConfig({
  root,
  base: "./",
  logLevel: "warn",
  build: {
    outDir: resolve(root, "../../out/harness"),
    emptyOutDir: true,
    minify: false,
    sourcemap: true,
    rolldownOptions: { input: pages },
  },
});

// Vite reads the default export; the house rule is named exports, so this is the one exception.
export default config;
