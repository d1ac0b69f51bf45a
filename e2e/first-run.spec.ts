/**
 * First run in browser mode: a fresh profile lands on the lobby with a suggested name; camera and
 * microphone are asked for only on joining a call; a refusal is explained, and the call goes on.
 */
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS } from "../playwright.config.ts";
import { expect, test } from "./fixtures.ts";
import { Participant } from "./participant.ts";
import { ServeProcess } from "./serve-process.ts";

/** How often the page asked for camera/microphone (counted by a wrapper installed before the app loads). */
const mediaRequests = (p: Participant): Promise<number> => p.page.evaluate(() => (window as unknown as { __gum: number }).__gum);

test("first run: a suggested name, and camera/microphone asked for only when joining", async ({ open }) => {
  const ada = await open("Ada");
  // Browser mode serves the page cross-origin isolated: the audio player shares memory with its worklet.
  expect(await ada.page.evaluate(() => crossOriginIsolated)).toBe(true);
  await ada.page.context().addInitScript(() => {
    const w = window as unknown as { __gum: number };
    w.__gum = 0;
    const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = (c) => (w.__gum++, real(c));
  });
  await ada.page.reload();
  const name = ada.page.getByLabel("Your name");
  await expect(name).not.toHaveValue("");
  await ada.shot("first-run lobby with a suggested name");
  expect(await mediaRequests(ada)).toBe(0);

  // Settings: the data folder is shown, and resetting the identity gives a new peer id.
  await ada.page.getByRole("button", { name: "Settings" }).click();
  const peerId = ada.page.getByTestId("peer-id");
  const oldId = await peerId.innerText();
  await expect(ada.page.getByTestId("data-dir")).toContainText("/");
  await ada.page.getByRole("button", { name: "Reset identity…" }).click();
  await ada.page.getByRole("button", { name: "Yes, reset my identity" }).click();
  await expect(peerId).not.toHaveText(oldId);
  await ada.shot("settings after an identity reset");
  await ada.page.keyboard.press("Escape");
  await expect(ada.page.getByRole("dialog")).toHaveCount(0);

  await ada.page.getByRole("button", { name: "Create a room" }).click();
  await expect(ada.page.getByTestId("connection-state")).toBeVisible();
  expect(await mediaRequests(ada)).toBeGreaterThanOrEqual(1);
  await expect(ada.page.getByTestId("media-access")).toHaveCount(0);
});

// eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring even when no fixture is used
test("a refused camera/microphone is explained in the call, with a way to try again", async ({}, testInfo) => {
  const server = await ServeProcess.start("refused");
  // A browser that refuses every permission prompt (no fake-UI auto-accept).
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [...CHROMIUM_ARGS.filter((a) => a !== "--use-fake-ui-for-media-stream"), "--deny-permission-prompts"],
  });
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    const bea = new Participant("Bea", page, testInfo);
    await bea.enterName();
    await page.getByRole("button", { name: "Create a room" }).click();
    const notice = page.getByTestId("media-access");
    await expect(notice).toContainText("Camera and microphone access was refused.");
    await expect(notice).toContainText("allow camera and microphone for this page");
    await expect(page.getByTestId("connection-state")).toBeVisible(); // still in the call
    await bea.shot("refused permission explained");
    await page.getByRole("button", { name: "Try again" }).click();
    await expect(notice).toBeVisible();
  } finally {
    await browser.close();
    await server.stop();
  }
});
