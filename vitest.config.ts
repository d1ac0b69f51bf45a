import { defineConfig } from "vitest/config";

// Three tiers (see README "Tests"): unit (pure, fast), integration (real libp2p nodes and real
// processes on loopback), renderer (React store and components in jsdom). Playwright e2e specs
// live in e2e/ and are run by Playwright, never by vitest.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          environment: "node",
          include: ["shared/**/*.test.ts", "main/**/*.test.ts", "test/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
        },
      },
      {
        test: {
          name: "integration",
          environment: "node",
          include: ["main/**/*.int.test.ts", "test/**/*.int.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Real processes on a 2-core machine: run files one at a time so timings stay meaningful.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "renderer",
          environment: "jsdom",
          include: ["renderer/**/*.test.{ts,tsx}"],
        },
      },
    ],
  },
});
