/**
 * Playwright: browser-mode end-to-end tests against Debian's Chromium (shared/reference/test-environment.md),
 * and the Electron spec (skipped where no Electron binary is installed). Needs `npm run build` first
 * (scripts/test-all.ts runs it). One worker: every test runs several app processes on a 2-core machine.
 */
import { defineConfig } from "@playwright/test";

/** Chromium switches that work here: no sandbox (root in CI), no outside traffic, fake camera and microphone. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
];

/** The switches with the fake camera at `fps` frames a second: several whole call pages share two cores. */
export function chromiumArgsAtFps(fps: number): string[] {
  return CHROMIUM_ARGS.map((a) => (a === "--use-fake-device-for-media-stream" ? `${a}=fps=${fps}` : a));
}

export const config = defineConfig({
  testDir: "e2e",
  testMatch: "*.spec.ts",
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  outputDir: "test-results/playwright",
  // scripts/test-all.ts reads the JSON report (PLAYWRIGHT_JSON_OUTPUT_NAME); interactive runs just list.
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    headless: true,
    viewport: { width: 1180, height: 760 },
    launchOptions: { executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
});

// Playwright reads the default export; the house rule is named exports, so this is the one exception.
 
export default config;
