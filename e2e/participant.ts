/**
 * One person using the app, as a page object over its DOM: what a user would do and see. Every wait is
 * on app state in the DOM (web-first assertions poll it); nothing sleeps.
 */
import { expect, type Locator, type Page, type TestInfo } from "@playwright/test";

/** A participant's page. */
export class Participant {
  readonly name: string;
  readonly page: Page;
  readonly #info: TestInfo;
  #shots = 0;

  constructor(name: string, page: Page, info: TestInfo) {
    this.name = name;
    this.page = page;
    this.#info = info;
  }

  /** Wait for the lobby and type our name. */
  async enterName(): Promise<void> {
    const field = this.page.getByLabel("Your name");
    await expect(field).toBeVisible();
    await field.fill(this.name);
  }

  /** Create a room; resolves once we are in it. */
  async createRoom(): Promise<void> {
    await this.enterName();
    await this.page.getByRole("button", { name: "Create a room" }).click();
    await this.expectConnection("joined");
  }

  /** Paste a ticket and join; resolves once we are in the room. */
  async joinRoom(ticket: string): Promise<void> {
    await this.enterName();
    await this.page.getByLabel("Room ticket").fill(ticket);
    await expect(this.page.getByTestId("ticket-status")).toContainText("Valid ticket");
    await this.page.getByRole("button", { name: "Join room" }).click();
    await this.expectConnection("joined");
  }

  /** Copy the room's ticket (the dialog shows it), close the dialog with Escape. */
  async copyTicket(): Promise<string> {
    await this.page.getByRole("button", { name: "Copy ticket" }).click();
    const field = this.page.getByTestId("room-ticket");
    await expect(field).toHaveValue(/^room[a-z2-7]+$/);
    const ticket = await field.inputValue();
    await this.page.keyboard.press("Escape");
    await expect(field).toBeHidden();
    return ticket;
  }

  /** The connection badge shows `state` ("joined" reads "In the room"). */
  async expectConnection(state: "connecting" | "joined" | "reconnecting"): Promise<void> {
    await expect(this.page.getByTestId("connection-state")).toHaveAttribute("data-state", state);
  }

  /** The participants list shows exactly these names (us included), in any order. */
  async expectPeople(names: string[]): Promise<void> {
    await expect
      .poll(async () => (await this.page.getByTestId("participants").locator(".person-name").allInnerTexts()).sort(), { timeout: 30_000 })
      .toEqual([...names].sort());
  }

  /** We receive these people's broadcasts (their tiles are live), so what they send now reaches us. */
  async expectReceiving(names: string[]): Promise<void> {
    for (const name of names) {
      const tile = this.page.getByTestId("tile").filter({ has: this.page.locator(".tile-name-text").getByText(name, { exact: true }) });
      await expect(tile.first()).toHaveAttribute("data-live", "true", { timeout: 30_000 });
    }
  }

  /** The tile of `name`'s broadcast `broadcast`. */
  tile(name: string, broadcast: string): Locator {
    return this.page.getByTestId("tile").filter({ has: this.page.locator(".tile-name-text").getByText(name, { exact: true }) }).and(this.page.locator(`[data-broadcast="${broadcast}"]`));
  }

  /**
   * We see `name`'s `broadcast` as live video: decoded frames keep rising, and the picture is neither black
   * nor frozen (two samples a moment apart differ).
   */
  async expectVideo(name: string, broadcast = "camera"): Promise<void> {
    const tile = this.tile(name, broadcast);
    await expect(tile).toHaveAttribute("data-video", "true", { timeout: 30_000 });
    const frames = async (): Promise<number> => Number((await tile.getAttribute("data-frames-decoded")) ?? "0");
    const before = await frames();
    await expect.poll(frames, { timeout: 15_000 }).toBeGreaterThan(before + 10);
    let a: Sample = { mean: 0, grid: [] };
    await expect.poll(async () => (a = await pictureSample(tile)).mean, { timeout: 10_000, message: `${name}'s ${broadcast} is not black` }).toBeGreaterThan(8);
    await expect.poll(async () => sampleDistance(a, await pictureSample(tile)), { timeout: 10_000, message: `${name}'s ${broadcast} is not frozen` }).toBeGreaterThan(0.5);
  }

  /** We hear `name`: their audio comes out of our playback above silence. */
  async expectAudio(name: string): Promise<void> {
    const tile = this.tile(name, "camera");
    const peak = async (): Promise<number> => Number((await tile.getAttribute("data-audio-peak")) ?? "0");
    await expect
      .poll(peak, { timeout: 30_000, message: `${name} is heard` })
      .toBeGreaterThan(0.01)
      .catch(async (err: unknown) => {
        const facts = await tile.evaluate((el) => ({ ...el.dataset }));
        throw new Error(`${String(err)}\ntile: ${JSON.stringify(facts)}`);
      });
  }

  /** We no longer hear `name` (their microphone is off) and their tile says so. */
  async expectMuted(name: string): Promise<void> {
    const tile = this.tile(name, "camera");
    await expect(tile.getByTestId("tile-muted")).toBeVisible({ timeout: 20_000 });
    await expect(tile).toHaveAttribute("data-muted", "true");
    await expect.poll(async () => Number((await tile.getAttribute("data-audio-peak")) ?? "1"), { timeout: 20_000, message: `${name} is silent` }).toBeLessThan(0.001);
  }

  /** Send a chat message with Enter. */
  async say(text: string): Promise<void> {
    const box = this.page.getByRole("textbox", { name: "Message" });
    await box.fill(text);
    await box.press("Enter");
    await expect(box).toHaveValue("");
  }

  /** A chat message with this text from this sender is in our chat (sent, not pending or failed). */
  async expectChat(sender: string, text: string): Promise<void> {
    const msg = this.page.getByTestId("chat-message").filter({ has: this.page.getByTestId("chat-text").getByText(text, { exact: true }) });
    await expect(msg).toHaveCount(1);
    await expect(msg.getByTestId("chat-sender")).toHaveText(sender);
    await expect(msg).toHaveClass(/msg--sent/);
  }

  /** Leave the room; resolves back in the lobby. */
  async leave(): Promise<void> {
    await this.page.getByRole("button", { name: "Leave" }).click();
    await expect(this.page.getByRole("button", { name: "Create a room" })).toBeVisible();
  }

  /** Attach a screenshot of this page to the test report. */
  async shot(step: string): Promise<Buffer> {
    const body = await this.page.screenshot();
    await this.#info.attach(`${String(++this.#shots).padStart(2, "0")} ${this.name}: ${step}`, { body, contentType: "image/png" });
    return body;
  }
}

/** A tiny grey-level picture of what a tile shows: its mean and a 16×9 grid. */
interface Sample {
  mean: number;
  grid: number[];
}

async function pictureSample(tile: Locator): Promise<Sample> {
  return tile.getByTestId("tile-picture").evaluate((el: HTMLVideoElement | HTMLCanvasElement) => {
    // The tile shows a <video> (fed frame by frame) or, without a track generator, a canvas: copy what it
    // shows now into a canvas of ours and read that at a 16×9 grid of points.
    const w = el instanceof HTMLVideoElement ? el.videoWidth : el.width;
    const h = el instanceof HTMLVideoElement ? el.videoHeight : el.height;
    if (w === 0 || h === 0) return { mean: 0, grid: [] };
    const c = document.createElement("canvas");
    c.width = w;
    c.height = h;
    const ctx = c.getContext("2d", { willReadFrequently: true })!;
    ctx.drawImage(el, 0, 0, w, h);
    const px = ctx.getImageData(0, 0, w, h).data;
    const grid: number[] = [];
    for (let y = 0; y < 9; y++) {
      for (let x = 0; x < 16; x++) {
        const i = (Math.floor(((y + 0.5) * h) / 9) * w + Math.floor(((x + 0.5) * w) / 16)) * 4;
        grid.push(0.299 * px[i]! + 0.587 * px[i + 1]! + 0.114 * px[i + 2]!);
      }
    }
    return { mean: grid.reduce((a, b) => a + b, 0) / grid.length, grid };
  });
}

/** Mean absolute difference between two samples, in grey levels. */
function sampleDistance(a: Sample, b: Sample): number {
  return a.grid.reduce((sum, v, i) => sum + Math.abs(v - (b.grid[i] ?? 0)), 0) / a.grid.length;
}
