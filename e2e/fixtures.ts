/**
 * Playwright fixtures (Element Desktop's `base.extend` pattern): each participant gets its own
 * `rooms serve` process with a temporary data directory and a browser of their own (a fresh profile, and
 * their own fake microphone voice: voice.ts says why contexts of one browser will not do); traffic other
 * than loopback is refused; server logs and page errors are attached, and everything is torn down after
 * the test.
 */
import { test as base, expect, type Browser } from "@playwright/test";
import { CliPeer } from "../test/cli-peer.ts";
import { Participant } from "./participant.ts";
import { ServeProcess } from "./serve-process.ts";
import { voiceArg } from "./voice.ts";

/** Open the app for one person. */
export type OpenParticipant = (name: string, opts?: { ticketInUrl?: string }) => Promise<Participant>;

interface Fixtures {
  /** Start a browser-mode app for a person and open it in a browser of their own. */
  open: OpenParticipant;
  /** Start a headless `rooms` CLI peer (a bot). */
  cliPeer: (args: string[]) => CliPeer;
}

const isLoopback = (url: string): boolean => {
  const u = new URL(url);
  return u.protocol === "data:" || u.hostname === "127.0.0.1" || u.hostname === "localhost";
};

/** The test API with our fixtures. */
export const test = base.extend<Fixtures>({
  open: async ({ playwright, browserName, launchOptions, contextOptions, viewport }, use, testInfo) => {
    const started: { name: string; server: ServeProcess; browser: Browser; errors: string[] }[] = [];
    await use(async (name, opts = {}) => {
      const server = await ServeProcess.start(name.toLowerCase());
      const browser = await playwright[browserName].launch({ ...launchOptions, args: [...(launchOptions.args ?? []), voiceArg(name)] }).catch(async (err: unknown) => {
        await server.stop();
        throw err;
      });
      const context = await browser.newContext({ ...contextOptions, viewport });
      const errors: string[] = [];
      started.push({ name, server, browser, errors });
      await context.route("**/*", (route) => (isLoopback(route.request().url()) ? route.continue() : route.abort()));
      const page = await context.newPage();
      page.on("pageerror", (e) => errors.push(e.message));
      const url = opts.ticketInUrl === undefined ? server.url : `${server.url}&ticket=${encodeURIComponent(opts.ticketInUrl)}`;
      await page.goto(url);
      return new Participant(name, page, testInfo);
    });
    for (const s of started) await s.browser.close();
    await Promise.all(started.map((s) => s.server.stop()));
    for (const s of started) await testInfo.attach(`${s.name} server log`, { body: s.server.log, contentType: "text/plain" });
    if (process.env.LIVE_ROOMS_E2E_LOG_DIR) for (const s of started) (await import("node:fs")).writeFileSync(`${process.env.LIVE_ROOMS_E2E_LOG_DIR}/${s.name}.log`, s.server.log);
    for (const s of started) expect(s.errors, `uncaught errors in ${s.name}'s page`).toEqual([]);
  },
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring even when no fixture is used
  cliPeer: async ({}, use) => {
    const peers: CliPeer[] = [];
    await use((args) => {
      const p = CliPeer.start(args);
      peers.push(p);
      return p;
    });
    await Promise.all(peers.map((p) => p.dispose()));
  },
});

export { expect };
