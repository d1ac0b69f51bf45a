/**
 * Browser mode end to end: real `rooms serve` processes (one per person, each its own libp2p peer) and
 * Debian's Chromium. Set LIVE_ROOMS_DOCS_SCREENSHOTS=1 to refresh docs/screenshots/.
 */
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromiumArgsAtFps } from "../playwright.config.ts";
import { expect, test } from "./fixtures.ts";

// These specs are about meeting and chat, yet every page is a whole call (three cameras encoding, six
// streams decoding on two cores): a slow fake camera keeps that from starving the rest.
test.use({ launchOptions: { executablePath: "/usr/bin/chromium", args: chromiumArgsAtFps(5) } });

const DOCS_SHOTS = process.env.LIVE_ROOMS_DOCS_SCREENSHOTS === "1" ? join(import.meta.dirname, "..", "docs", "screenshots") : undefined;
const saveDocShot = (file: string, png: Buffer): void => {
  if (DOCS_SHOTS === undefined) return;
  mkdirSync(DOCS_SHOTS, { recursive: true });
  writeFileSync(join(DOCS_SHOTS, file), png);
};

test("three people meet by ticket, see each other, chat both ways, and one leaves", async ({ open }) => {
  // Three whole call pages on two cores make every step slow; the bound only catches a hang.
  test.setTimeout(300_000);
  const ada = await open("Ada Lovelace");
  await ada.enterName();
  saveDocShot("lobby.png", await ada.shot("lobby"));
  await ada.createRoom();
  await ada.shot("created the room");
  const ticket = await ada.copyTicket();

  const bob = await open("Bob");
  await bob.joinRoom(ticket);
  await ada.expectPeople(["Ada Lovelace", "Bob"]);
  // Chat rides on each person's broadcast: talk once each side receives the other.
  await ada.expectReceiving(["Bob"]);
  await bob.expectReceiving(["Ada Lovelace"]);
  await ada.say("Hello from Ada");
  await bob.say("Hi Ada, Bob here: https://example.com/agenda");
  for (const p of [ada, bob]) {
    await p.expectChat("Ada Lovelace", "Hello from Ada");
    await p.expectChat("Bob", "Hi Ada, Bob here: https://example.com/agenda");
  }
  // A link in chat is text, never a link the app would open.
  await expect(ada.page.getByTestId("chat-log").locator("a")).toHaveCount(0);
  await bob.shot("chat both ways");

  const cy = await open("Cy Twombly");
  await cy.joinRoom(ticket);
  const everyone = ["Ada Lovelace", "Bob", "Cy Twombly"];
  for (const p of [ada, bob, cy]) await p.expectPeople(everyone);
  for (const p of [ada, bob]) await p.expectReceiving(["Cy Twombly"]);
  await cy.expectReceiving(["Ada Lovelace", "Bob"]);
  // Cy joined late: the earlier conversation arrives as history.
  await cy.expectChat("Ada Lovelace", "Hello from Ada");
  await cy.say("Cy here, hi both");
  for (const p of [ada, bob, cy]) await p.expectChat("Cy Twombly", "Cy here, hi both");
  await ada.say("Welcome, Cy");
  for (const p of [bob, cy]) await p.expectChat("Ada Lovelace", "Welcome, Cy");
  saveDocShot("call.png", await ada.shot("three people in the call"));
  for (const p of [bob, cy]) await p.shot("three people in the call");

  await cy.leave();
  await cy.shot("back in the lobby");
  for (const p of [ada, bob]) {
    await p.expectPeople(["Ada Lovelace", "Bob"]);
    await expect(p.page.getByTestId("notice").filter({ hasText: "Cy Twombly left" })).toHaveCount(1);
    await p.shot("Cy left");
  }
});

test("a malformed ticket shows what is wrong in words and joins nothing", async ({ open }) => {
  const dee = await open("Dee");
  await dee.enterName();
  const field = dee.page.getByLabel("Room ticket");
  const status = dee.page.getByTestId("ticket-status");
  const join = dee.page.getByRole("button", { name: "Join room" });

  await field.fill("roomnot-a-ticket!");
  await expect(status).toHaveText(/^Not a valid ticket: .*invalid character "-"/);
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(join).toBeDisabled();
  await dee.shot("invalid character");

  await field.fill("hello there");
  await expect(status).toContainText('starts with "room"');
  await field.fill("roomaaaaaaaaaa");
  await expect(status).toContainText("Not a valid ticket");
  await field.press("Enter");
  await dee.shot("cut-off ticket, Enter pressed");

  // Still in the lobby: no room, no connection state.
  await expect(join).toBeDisabled();
  await expect(dee.page.getByTestId("connection-state")).toHaveCount(0);
  await expect(dee.page.getByRole("button", { name: "Create a room" })).toBeVisible();
});

test("a ticket in the page URL fills the lobby, and the name is remembered", async ({ open }) => {
  const host = await open("Host");
  await host.createRoom();
  const ticket = await host.copyTicket();
  const guest = await open("Guest", { ticketInUrl: `liverooms://join/${ticket}` });
  await guest.enterName();
  await expect(guest.page.getByLabel("Room ticket")).toHaveValue(ticket);
  await expect(guest.page.getByTestId("ticket-status")).toContainText("Valid ticket: connects through 1 person");
  await guest.page.getByRole("button", { name: "Join room" }).click();
  await host.expectPeople(["Host", "Guest"]);
  await guest.leave();
  // Back in the lobby the name we used is already filled in.
  await expect(guest.page.getByLabel("Your name")).toHaveValue("Guest");
  await host.expectPeople(["Host"]);
});

test("a CLI peer appears by name and chat flows between it and the app", async ({ open, cliPeer }) => {
  const ada = await open("Ada");
  await ada.createRoom();
  const ticket = await ada.copyTicket();
  const bot = cliPeer(["join", ticket, "--name", "Bot", "--chat"]);
  const { peerId: botId } = await bot.ready();
  await ada.expectPeople(["Ada", "Bot"]);
  await bot.waitFor((l) => l.type === "PeerJoined" && l.displayName === "Ada", { what: "bot sees Ada" });
  await ada.expectReceiving(["Bot"]);
  await bot.waitFor((l) => l.type === "BroadcastSubscribed", { what: "bot receives Ada's broadcast" });

  bot.command("beep boop, I am a bot");
  await ada.expectChat("Bot", "beep boop, I am a bot");
  await ada.say("hello bot");
  const got = await bot.waitFor((l) => l.type === "ChatReceived" && l.text === "hello bot", { what: "bot receives chat" });
  expect(got.remote).not.toBe(botId);
  await ada.shot("bot in the room");

  bot.command("/leave");
  await ada.expectPeople(["Ada"]);
});

test("the server refuses a page without its token", async ({ open }) => {
  const p = await open("Eve");
  const url = new URL(p.page.url());
  const res = await p.page.request.get(`${url.origin}/`, { headers: { cookie: "" } });
  expect(res.status()).toBe(401);
});
