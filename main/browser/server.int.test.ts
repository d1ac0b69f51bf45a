/**
 * The browser-mode server over real HTTP and WebSockets: what it serves, whom it refuses, and the
 * contract over the socket.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as Moq from "@moq/net";
import Session from "@moq/qmux";
import { WebSocket } from "ws";
import { LINK_SOCKET_PATH, LINK_SUBPROTOCOL } from "../../shared/media/link.ts";
import type { EventMessage } from "../../shared/ipc.ts";
import type { SocketMessage } from "../../shared/socket-protocol.ts";
import { CLOSE_CODES } from "../../shared/socket-protocol.ts";
import { RoomService } from "../app/room-service.ts";
import { silentLog } from "../log.ts";
import { cookieName } from "./auth.ts";
import { startBrowserServer, type BrowserServer } from "./server.ts";

let dir: string;
let server: BrowserServer;
let service: RoomService;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "browser-server-"));
  const ui = join(dir, "ui");
  mkdirSync(join(ui, "assets"), { recursive: true });
  writeFileSync(join(ui, "index.html"), "<!doctype html><title>t</title>");
  writeFileSync(join(ui, "assets", "app.js"), "console.log(1)");
  writeFileSync(join(dir, "secret.txt"), "secret");
  service = await RoomService.open({ dataDir: join(dir, "data"), log: silentLog, listen: ["/ip4/127.0.0.1/tcp/0"] });
  server = await startBrowserServer({ service, staticDir: ui, log: silentLog });
});
afterEach(async () => {
  await server.close();
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

const origin = (): string => `http://127.0.0.1:${server.port}`;
const get = (path: string, headers: Record<string, string> = {}): Promise<Response> => fetch(`${origin()}${path}`, { headers, redirect: "manual" });

/** A socket client recording what it receives. */
class Tab {
  readonly ws: WebSocket;
  readonly received: SocketMessage[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  #next = 1;

  constructor(url: string, opts: { origin?: string } = { origin: origin() }) {
    this.ws = new WebSocket(url, opts.origin === undefined ? {} : { origin: opts.origin });
    this.ws.on("message", (d: Buffer) => this.received.push(JSON.parse(d.toString()) as SocketMessage));
    this.opened = new Promise((resolve, reject) => {
      this.ws.once("open", () => resolve());
      this.ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      this.ws.once("error", reject);
    });
    this.closed = new Promise((resolve) => this.ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  async call(method: string, args: unknown[] = []): Promise<unknown> {
    const id = this.#next++;
    this.ws.send(JSON.stringify({ id, method, args }));
    for (;;) {
      const hit = this.received.find((m) => "id" in m && m.id === id);
      if (hit !== undefined && "result" in hit) return hit.result;
      await new Promise((r) => this.ws.once("message", r));
    }
  }

  events(): EventMessage[] {
    return this.received.filter((m): m is EventMessage => "event" in m);
  }
}

/** `ws` with our Origin header, as a browser page sends it. */
class OriginWs extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols, { origin: `http://127.0.0.1:${new URL(url).port}` });
  }
}

const wsUrl = (token: string | undefined): string => `ws://127.0.0.1:${server.port}/ws${token === undefined ? "" : `?token=${token}`}`;

describe("browser-mode HTTP", () => {
  it("prints a loopback URL with a 32-byte token", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
  });

  it("serves the page with a strict CSP and a token cookie; assets then load with the cookie alone", async () => {
    const page = await get(`/?token=${server.token}`);
    expect(page.status).toBe(200);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`ws://127.0.0.1:${server.port}`);
    expect(csp).not.toContain("unsafe");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    // Cross-origin isolated (SharedArrayBuffer for the audio player), assets included.
    expect(page.headers.get("cross-origin-embedder-policy")).toBe("require-corp");
    expect(page.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    const cookie = page.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(new RegExp(`^${cookieName(server.port)}=${server.token}; HttpOnly; SameSite=Strict`));
    const asset = await get("/assets/app.js", { cookie: cookie.split(";")[0]! });
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toContain("text/javascript");
    expect(asset.headers.get("cross-origin-resource-policy")).toBe("same-origin");
  });

  it("refuses requests without the token (401) and from a foreign origin (403)", async () => {
    expect((await get("/")).status).toBe(401);
    expect((await get("/assets/app.js")).status).toBe(401);
    expect((await get("/?token=wrong")).status).toBe(401);
    expect((await get(`/?token=${server.token}`, { origin: "http://evil.example" })).status).toBe(403);
  });

  it("serves nothing outside the UI folder and only GET/HEAD", async () => {
    expect((await get(`/../secret.txt?token=${server.token}`)).status).toBe(404);
    expect((await get(`/%2e%2e/secret.txt?token=${server.token}`)).status).toBe(404);
    expect((await fetch(`${origin()}/?token=${server.token}`, { method: "POST" })).status).toBe(405);
  });
});

describe("browser-mode WebSocket", () => {
  it("refuses upgrades without the token, with a wrong one, from a foreign origin, or without an origin", async () => {
    await expect(new Tab(wsUrl(undefined)).opened).rejects.toThrow("HTTP 401");
    await expect(new Tab(wsUrl("nope")).opened).rejects.toThrow("HTTP 401");
    await expect(new Tab(wsUrl(server.token), { origin: "http://evil.example" }).opened).rejects.toThrow("HTTP 403");
    await expect(new Tab(wsUrl(server.token), {}).opened).rejects.toThrow("HTTP 403");
  });

  it("speaks the contract: commands answer by id, events flow after rendererReady", async () => {
    const tab = new Tab(wsUrl(server.token));
    await tab.opened;
    // JSON has no undefined: an absent display name arrives as a missing key.
    expect(await tab.call("getIdentity")).toMatchObject({ ok: true, value: { peerId: expect.stringMatching(/^12D3KooW/) as unknown, suggestedName: expect.any(String) as unknown } });
    expect(tab.events()).toEqual([]);
    expect(await tab.call("rendererReady")).toEqual({ ok: true });
    expect(tab.events()).toEqual([{ event: "connectionChanged", payload: "idle" }]);
    const created = (await tab.call("createRoom", [{ displayName: "Ada" }])) as { ok: boolean };
    expect(created.ok).toBe(true);
    expect(tab.events().map((e) => e.payload)).toEqual(["idle", "connecting", "joined"]);
    expect(await tab.call("createRoom", [{ displayName: "" }])).toMatchObject({ ok: false, error: { code: "bad-args" } });
    expect(await tab.call("eval", ["1"])).toMatchObject({ ok: false, error: { code: "unknown-command" } });
  });

  it("closes a socket that sends a malformed frame", async () => {
    const tab = new Tab(wsUrl(server.token));
    await tab.opened;
    tab.ws.send("{not json");
    expect((await tab.closed).code).toBe(1008);
    const tab2 = new Tab(wsUrl(server.token));
    await tab2.opened;
    tab2.ws.send(JSON.stringify({ id: 1, method: "getIdentity", args: [], extra: true }));
    expect((await tab2.closed).code).toBe(1008);
  });

  it("a second tab takes over; the first is told why", async () => {
    const first = new Tab(wsUrl(server.token));
    await first.opened;
    await first.call("rendererReady");
    const second = new Tab(wsUrl(server.token));
    await second.opened;
    expect((await first.closed).code).toBe(CLOSE_CODES.replaced);
    await second.call("rendererReady");
    expect(second.events()).toEqual([{ event: "connectionChanged", payload: "idle" }]);
  });
});

describe("browser-mode media link (/moq)", () => {
  const linkUrl = (token: string | undefined): string => `ws://127.0.0.1:${server.port}${LINK_SOCKET_PATH}${token === undefined ? "" : `?token=${token}`}`;
  const open = (url: string, protocols: string[], headers: { origin?: string }): Promise<WebSocket> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(url, protocols, headers);
      ws.once("open", () => resolve(ws));
      ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once("error", reject);
    });

  it("is refused like /ws without the token or from a foreign origin, and without our subprotocol", async () => {
    await expect(open(linkUrl(undefined), [LINK_SUBPROTOCOL], { origin: origin() })).rejects.toThrow("HTTP 401");
    await expect(open(linkUrl(server.token), [LINK_SUBPROTOCOL], { origin: "http://evil.example" })).rejects.toThrow("HTTP 403");
    // ws (the client) rejects a handshake whose server picked no protocol: refused either way.
    await expect(open(linkUrl(server.token), ["qmux-02.moq-transport-17"], { origin: origin() })).rejects.toThrow();
  });

  it("speaks MoQ (moq-lite-05 over qmux) with a page holding the token; a path the page may not publish is ignored", async () => {
    // ws satisfies qmux's WebSocketLike at runtime; only its handler typings differ.
    const qmux = new Session(new OriginWs(linkUrl(server.token), [LINK_SUBPROTOCOL]) as unknown as ConstructorParameters<typeof Session>[0]);
    await qmux.ready;
    const ui = await Moq.Connection.connect(new URL(linkUrl(server.token)), { transport: qmux as unknown as WebTransport });
    try {
      expect(ui.version).toBe("moq-lite-05");
      // Garbage is refused without harming the server: a rogue path is ignored, the service still answers.
      ui.publish(Moq.Path.from("peers/x/camera"), new Moq.Broadcast.Producer());
      expect(await service.getIdentity()).toMatchObject({ ok: true });
    } finally {
      ui.close();
    }
  });
});
