/**
 * The same meeting in the Electron app (`_electron.launch`). Runs wherever the Electron binary is
 * installed; here it is not (its installer downloads it from the internet), so the test skips and says why.
 */
import { createRequire } from "node:module";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { _electron as electron, type ElectronApplication } from "@playwright/test";
import { expect, test } from "./fixtures.ts";
import { Participant } from "./participant.ts";
import { voiceArg } from "./voice.ts";

const ROOT = join(import.meta.dirname, "..");

/**
 * Path of the Electron binary, or why there is none. Reads what `require("electron")` would, without
 * requiring it: that require tries to download a missing binary from the internet.
 */
function electronBinary(): { path: string } | { missing: string } {
  let dir: string;
  try {
    dir = dirname(createRequire(import.meta.url).resolve("electron/package.json"));
  } catch {
    return { missing: "the electron package is not installed" };
  }
  const pathFile = join(dir, "path.txt");
  if (!existsSync(pathFile)) return { missing: "node_modules/electron has no binary (installed with ELECTRON_SKIP_BINARY_DOWNLOAD, or offline)" };
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(dir, "dist");
  const path = join(dist, readFileSync(pathFile, "utf8").trim());
  return existsSync(path) ? { path } : { missing: `no Electron binary at ${path}` };
}

const binary = electronBinary();

test("three people meet in the desktop app, chat, and one leaves", async ({ cliPeer }, testInfo) => {
  test.skip("missing" in binary, `Electron binary not available: ${"missing" in binary ? binary.missing : ""}. This spec runs wherever Electron is installed with its binary.`);
  if (!("path" in binary)) return;
  const apps: { app: ElectronApplication; dir: string }[] = [];
  const launch = async (name: string): Promise<Participant> => {
    const dir = mkdtempSync(join(tmpdir(), `e2e-electron-${name.toLowerCase()}-`));
    const app = await electron.launch({
      executablePath: binary.path,
      args: [join(ROOT, "out", "main", "index.js"), "--no-sandbox"],
      env: { ...process.env, LIVE_ROOMS_DATA_DIR: dir },
    });
    apps.push({ app, dir });
    return new Participant(name, await app.firstWindow(), testInfo);
  };
  try {
    const ada = await launch("Ada");
    // The app:// handler sends the isolation headers: the audio player shares memory with its worklet.
    expect(await ada.page.evaluate(() => crossOriginIsolated)).toBe(true);
    await ada.createRoom();
    const ticket = await ada.copyTicket();
    const bob = await launch("Bob");
    await bob.joinRoom(ticket);
    await ada.expectReceiving(["Bob"]);
    await bob.expectReceiving(["Ada"]);
    await ada.say("Hello from Ada");
    await bob.say("Hi Ada");
    for (const p of [ada, bob]) {
      await p.expectChat("Ada", "Hello from Ada");
      await p.expectChat("Bob", "Hi Ada");
    }
    const cy = await launch("Cy");
    await cy.joinRoom(ticket);
    for (const p of [ada, bob, cy]) await p.expectPeople(["Ada", "Bob", "Cy"]);
    for (const p of [ada, bob]) await p.expectReceiving(["Cy"]);
    await cy.expectReceiving(["Ada", "Bob"]);
    await cy.say("Cy here");
    for (const p of [ada, bob, cy]) await p.expectChat("Cy", "Cy here");
    await ada.say("Welcome, Cy");
    for (const p of [bob, cy]) await p.expectChat("Ada", "Welcome, Cy");
    await ada.shot("three in the desktop app");
    const bot = cliPeer(["join", ticket, "--name", "Bot", "--chat"]);
    await bot.ready();
    await ada.expectPeople(["Ada", "Bob", "Cy", "Bot"]);
    await ada.expectReceiving(["Bot"]);
    bot.command("hello from the bot");
    await ada.expectChat("Bot", "hello from the bot");
    await cy.leave();
    for (const p of [ada, bob]) await p.expectPeople(["Ada", "Bob", "Bot"]);
    // Quitting leaves the room cleanly: the others see Bob go at once.
    await apps[1]!.app.close();
    await ada.expectPeople(["Ada", "Bot"]);
    await expect(ada.page.getByTestId("notice").filter({ hasText: "Bob left" })).toHaveCount(1);
  } finally {
    for (const { app, dir } of apps) {
      await app.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

const MEDIA_TITLE = "in the desktop app two people see and hear each other, mute reaches the other, and a screen picked in our picker is shared";
// eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring even when no fixture is used
test(MEDIA_TITLE, async ({}, testInfo) => {
  test.skip("missing" in binary, `Electron binary not available: ${"missing" in binary ? binary.missing : ""}. This spec runs wherever Electron is installed with its binary.`);
  if (!("path" in binary)) return;
  test.setTimeout(240_000);
  const apps: { app: ElectronApplication; dir: string }[] = [];
  const launch = async (name: string): Promise<Participant> => {
    const dir = mkdtempSync(join(tmpdir(), `e2e-electron-${name.toLowerCase()}-`));
    const app = await electron.launch({
      executablePath: binary.path,
      // Chromium's fake camera and a fake microphone with a voice of their own (voice.ts), as in the
      // browser-mode specs; screens come from the real display (Xvfb in CI) through the app's own picker.
      args: [join(ROOT, "out", "main", "index.js"), "--no-sandbox", "--use-fake-device-for-media-stream=fps=15", "--use-fake-ui-for-media-stream", voiceArg(name)],
      env: { ...process.env, LIVE_ROOMS_DATA_DIR: dir },
    });
    apps.push({ app, dir });
    return new Participant(name, await app.firstWindow(), testInfo);
  };
  try {
    const ada = await launch("Ada");
    await ada.createRoom();
    const ticket = await ada.copyTicket();
    const bob = await launch("Bob");
    await bob.joinRoom(ticket);
    // The media link is a MessagePort here, not a WebSocket: the same checks prove it carries media.
    await ada.expectVideo("Bob");
    await bob.expectVideo("Ada");
    await bob.expectAudio("Ada");
    await ada.page.getByTestId("toggle-microphone").click();
    await bob.expectMuted("Ada");
    await ada.page.getByTestId("toggle-microphone").click();
    await bob.expectAudio("Ada");
    // Screen share through the desktop picker: choose the first source, share, then stop.
    await ada.page.getByTestId("toggle-screen").click();
    await ada.page.getByRole("listbox").getByRole("button").first().click();
    await ada.page.getByRole("button", { name: "Share", exact: true }).click();
    await bob.expectVideo("Ada", "screen");
    await ada.shot("sharing a screen from the desktop app");
    await ada.page.getByTestId("toggle-screen").click();
    await expect(bob.tile("Ada", "screen")).toHaveCount(0, { timeout: 20_000 });
  } finally {
    for (const { app, dir } of apps) {
      await app.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

