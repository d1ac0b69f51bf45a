/**
 * Media in the app, browser mode: two people with Chromium's fake camera (a moving test pattern) and fake
 * microphone (a beep) see and hear each other through their own `rooms serve` cores; the controls change
 * what the other side gets; screen share comes and goes; a CLI bot's test clip plays as a tile.
 */
import { expect, test } from "./fixtures.ts";

test("two people see and hear each other; mute, camera off and screen share reach the other side", async ({ open }) => {
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

  // Screen share: on shows a screen tile at Bob, off removes it, on again brings it back.
  for (const round of [1, 2]) {
    await ada.page.getByTestId("toggle-screen").click();
    await expect(ada.page.getByTestId("toggle-screen")).toHaveAttribute("aria-pressed", "true");
    await bob.expectVideo("Ada", "screen");
    if (round === 1) await bob.shot("Ada shares her screen");
    await ada.page.getByTestId("toggle-screen").click();
    await expect(bob.tile("Ada", "screen")).toHaveCount(0, { timeout: 20_000 });
  }

  // The stats overlay (key `s`) shows what is being received.
  await bob.page.keyboard.press("s");
  await expect(adaAtBob.getByTestId("tile-stats")).toContainText(/delay/);
  await bob.shot("stats overlay");
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
