/**
 * Media in the app, browser mode: two people with Chromium's fake camera (a moving test pattern) and a
 * fake microphone with a voice of their own (voice.ts) see and hear each other through their own
 * `rooms serve` cores; the controls change what the other side gets; screen share comes and goes; a CLI
 * bot's test clip plays as a tile.
 */
import { chromiumArgsAtFps } from "../playwright.config.ts";
import { expect, test } from "./fixtures.ts";

// Two whole call pages (capture, two encoders, decoders, compositing) and two cores at 15 fps, as
// shared/reference/test-environment.md advises for multi-peer tests on this machine.
test.use({ launchOptions: { executablePath: "/usr/bin/chromium", args: chromiumArgsAtFps(15) } });

test("two people see and hear each other; mute and camera off reach the other side", async ({ open }) => {
  // Many steps, each waiting on what the other side sees; the bound only catches a hang.
  test.setTimeout(240_000);
  const ada = await open("Ada");
  await ada.createRoom();
  const ticket = await ada.copyTicket();
  const bob = await open("Bob");
  await bob.joinRoom(ticket);

  await ada.expectVideo("Bob");
  await bob.expectVideo("Ada");
  await ada.expectAudio("Bob");
  await bob.expectAudio("Ada");
  await bob.shot("sees and hears Ada");

  // Mute: Bob stops hearing Ada and sees the muted mark; unmute brings her back.
  await ada.page.getByTestId("toggle-microphone").click();
  await expect(ada.page.getByTestId("toggle-microphone")).toHaveAttribute("aria-pressed", "true");
  await bob.expectMuted("Ada");
  await ada.page.getByTestId("toggle-microphone").click();
  await bob.expectAudio("Ada");

  // Camera off: Ada's tile at Bob falls back to her initials; on again, video again.
  await ada.page.getByTestId("toggle-camera").click();
  const adaAtBob = bob.tile("Ada", "camera");
  await expect(adaAtBob).toHaveAttribute("data-video", "false", { timeout: 20_000 });
  await expect(adaAtBob.locator(".tile-initials")).toBeVisible();
  await ada.page.getByTestId("toggle-camera").click();
  await bob.expectVideo("Ada");

  // The stats overlay shows what is being received; the `s` key toggles it (outside text fields).
  await bob.page.getByTestId("toggle-stats").click();
  await expect(adaAtBob.getByTestId("tile-stats")).toContainText(/delay/);
  await bob.shot("stats overlay");
  await bob.page.getByTestId("toggle-stats").focus();
  await bob.page.keyboard.press("s");
  await expect(adaAtBob.getByTestId("tile-stats")).toHaveCount(0);
});

test("screen share on shows a screen tile at the other person, off removes it, on again brings it back", async ({ open }) => {
  test.setTimeout(240_000);
  const ada = await open("Ada");
  await ada.createRoom();
  const ticket = await ada.copyTicket();
  const bob = await open("Bob");
  await bob.joinRoom(ticket);
  await bob.expectReceiving(["Ada"]);
  // Cameras off: this test is about the screen, and two cameras plus a screen are a lot for two cores.
  for (const p of [ada, bob]) {
    await p.page.getByTestId("toggle-camera").click();
    await expect(p.page.getByTestId("toggle-camera")).toHaveAttribute("aria-pressed", "true");
  }
  for (const round of [1, 2]) {
    await ada.page.getByTestId("toggle-screen").click();
    await expect(ada.page.getByTestId("toggle-screen")).toHaveAttribute("aria-pressed", "true");
    await expect(ada.tile("Ada", "screen")).toContainText("You are sharing your screen");
    await bob.expectVideo("Ada", "screen");
    await expect(bob.tile("Ada", "screen")).toHaveClass(/tile--screen/);
    if (round === 1) await bob.shot("Ada shares her screen");
    await ada.page.getByTestId("toggle-screen").click();
    await expect(bob.tile("Ada", "screen")).toHaveCount(0, { timeout: 20_000 });
  }
});

test("a CLI peer publishing the test clip shows as a moving video tile", async ({ open, cliPeer }) => {
  const ada = await open("Ada");
  await ada.createRoom();
  const ticket = await ada.copyTicket();
  const bot = cliPeer(["join", ticket, "--name", "Clip bot", "--publish", "test"]);
  await bot.ready();
  await ada.expectVideo("Clip bot");
  await ada.expectAudio("Clip bot");
  await ada.shot("the bot's test clip");
});
