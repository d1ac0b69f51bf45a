import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { checkRequest, cookieName, newToken, tokenMatches } from "./auth.ts";

const PORT = 4567;
const TOKEN = newToken();
const req = (url: string, headers: Record<string, string>): IncomingMessage => ({ url, headers }) as unknown as IncomingMessage;
const check = (url: string, headers: Record<string, string>, requireOrigin = false) => checkRequest(req(url, headers), { token: TOKEN, port: PORT, requireOrigin });
const host = { host: `127.0.0.1:${PORT}` };

describe("tokens", () => {
  it("are 32 random bytes, URL-safe, and compared exactly", () => {
    expect(Buffer.from(TOKEN, "base64url")).toHaveLength(32);
    expect(newToken()).not.toBe(TOKEN);
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(TOKEN, TOKEN.slice(0, -1))).toBe(false);
    expect(tokenMatches(TOKEN, TOKEN + "x")).toBe(false);
    expect(tokenMatches(TOKEN, "")).toBe(false);
    expect(tokenMatches(TOKEN, undefined)).toBe(false);
  });
});

describe("checkRequest", () => {
  it("lets in our page with the token in the URL or the cookie", () => {
    expect(check(`/?token=${TOKEN}`, host)).toBeUndefined();
    expect(check("/assets/a.js", { ...host, cookie: `other=1; ${cookieName(PORT)}=${TOKEN}` })).toBeUndefined();
    expect(check(`/ws?token=${TOKEN}`, { ...host, origin: `http://127.0.0.1:${PORT}` }, true)).toBeUndefined();
    expect(check(`/?token=${TOKEN}`, { host: `localhost:${PORT}`, origin: `http://localhost:${PORT}` })).toBeUndefined();
  });

  it("refuses a missing or wrong token with 401", () => {
    expect(check("/", host)?.status).toBe(401);
    expect(check("/?token=nope", host)?.status).toBe(401);
    expect(check("/", { ...host, cookie: `${cookieName(PORT + 1)}=${TOKEN}` })?.status).toBe(401);
  });

  it("refuses foreign origins and hosts with 403, even with the right token", () => {
    expect(check(`/?token=${TOKEN}`, { ...host, origin: "http://evil.example" })?.status).toBe(403);
    expect(check(`/?token=${TOKEN}`, { ...host, origin: `http://127.0.0.1:${PORT + 1}` })?.status).toBe(403);
    expect(check(`/?token=${TOKEN}`, { ...host, origin: "null" })?.status).toBe(403);
    expect(check(`/?token=${TOKEN}`, { host: `evil.example:${PORT}` })?.status).toBe(403);
    expect(check(`/?token=${TOKEN}`, {})?.status).toBe(403);
    expect(check(`/ws?token=${TOKEN}`, host, true)?.status).toBe(403);
  });
});
