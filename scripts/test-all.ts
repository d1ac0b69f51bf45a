/**
 * `npm test`: every suite this repository has, then one closing line `N passed, N failed, N skipped`
 * that CI reads. Typecheck and lint count as one test each; vitest and Playwright report their own counts.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

interface Tally { passed: number; failed: number; skipped: number }
const total: Tally = { passed: 0, failed: 0, skipped: 0 };
const rows: string[] = [];
const outDir = "test-results";
mkdirSync(outDir, { recursive: true });

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const res = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  return res.status ?? 1;
}

function add(name: string, t: Tally): void {
  total.passed += t.passed;
  total.failed += t.failed;
  total.skipped += t.skipped;
  rows.push(`${name.padEnd(12)} ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
}

function step(name: string, cmd: string, args: string[]): void {
  const ok = run(cmd, args) === 0;
  add(name, { passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 });
}

const only = process.argv[2];
const want = (s: string): boolean => only === undefined || only === s;

if (want("typecheck")) {
  step("tsc node", "npx", ["tsc", "-p", "tsconfig.json", "--noEmit"]);
  step("tsc web", "npx", ["tsc", "-p", "tsconfig.web.json", "--noEmit"]);
}
if (want("lint")) step("eslint", "npx", ["eslint", "."]);

if (want("vitest")) {
  const file = join(outDir, "vitest.json");
  const code = run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${file}`]);
  if (existsSync(file)) {
    const r = JSON.parse(readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
    // A crash outside any test (a suite that fails to load) still has to fail the run.
    const crashed = code !== 0 && r.numFailedTests === 0 ? 1 : 0;
    add("vitest", { passed: r.numPassedTests, failed: r.numFailedTests + crashed, skipped: r.numPendingTests + r.numTodoTests });
  } else {
    add("vitest", { passed: 0, failed: 1, skipped: 0 });
  }
}

const hasSpecs = existsSync("e2e") && readdirSync("e2e").some((f) => f.endsWith(".spec.ts"));
if (want("e2e") && hasSpecs) {
  // The e2e tests drive the built UI (browser mode serves out/renderer; the Electron spec runs out/main).
  step("build", "npm", ["run", "-s", "build"]);
  const file = join(outDir, "playwright.json");
  const code = run("npx", ["playwright", "test"], { PLAYWRIGHT_JSON_OUTPUT_NAME: file });
  if (existsSync(file)) {
    const r = JSON.parse(readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; skipped: number; flaky: number } };
    const crashed = code !== 0 && r.stats.unexpected === 0 ? 1 : 0;
    add("playwright", { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected + crashed, skipped: r.stats.skipped });
  } else {
    add("playwright", { passed: 0, failed: 1, skipped: 0 });
  }
}

console.log("\n" + rows.join("\n"));
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
