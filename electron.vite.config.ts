/**
 * `npm run build` (electron-vite 6): three bundles from our runtime folders.
 * - main: main/electron/index.ts → out/main/index.js (ESM; dependencies stay external in node_modules)
 * - preload: preload/index.ts → out/preload/index.cjs (CommonJS: a sandboxed window's preload must be)
 * - renderer: renderer/index.html → out/renderer (also what browser mode serves)
 */
import { resolve } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "electron-vite";

const root = import.meta.dirname;

export const config = defineConfig({
  main: {
    build: {
      outDir: resolve(root, "out/main"),
      rolldownOptions: { input: { index: resolve(root, "main/electron/index.ts") } },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, "out/preload"),
      // Sandboxed preloads cannot require node_modules: bundle everything except electron itself.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, "preload/index.ts") },
        output: { format: "cjs", entryFileNames: "[name].cjs" },
      },
    },
  },
  renderer: {
    root: resolve(root, "renderer"),
    base: "./",
    plugins: [react()],
    build: {
      outDir: resolve(root, "out/renderer"),
      emptyOutDir: true,
      minify: true,
      rolldownOptions: { input: { index: resolve(root, "renderer/index.html") } },
    },
  },
});

// electron-vite loads the config module's default export; the house rule is named exports, so this is the one exception.
 
export default config;
