/**
 * Who may talk to the browser-mode server: only a page we served, on loopback, holding the session token.
 *
 * - The token (32 random bytes) travels in the printed URL; the page we serve also gets it as an HttpOnly,
 *   SameSite=Strict cookie so its scripts and styles load without it in every URL.
 * - Tokens are compared in constant time (hashing first makes lengths equal, as timingSafeEqual requires).
 * - The Host header must name our loopback address (defeats DNS rebinding) and an Origin header, when a
 *   browser sends one, must be our own (defeats other sites and other local servers' pages).
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** A fresh session token, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Constant-time token comparison. */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const h = (s: string): Buffer => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(h(expected), h(given));
}

/** Name of the token cookie; per port, because cookies are shared by every port of a host. */
export function cookieName(port: number): string {
  return `liverooms_${port}`;
}

/** The host names this server answers to. */
function hosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** Why a request was refused, as an HTTP status. */
export type Refusal = { status: 401 | 403; reason: string };

/** Check a request (page, asset or WebSocket upgrade); undefined means allowed. */
export function checkRequest(req: IncomingMessage, init: { token: string; port: number; requireOrigin: boolean }): Refusal | undefined {
  const allowed = hosts(init.port);
  if (!allowed.includes(req.headers.host ?? "")) return { status: 403, reason: "wrong host" };
  const origin = req.headers.origin;
  if (origin === undefined ? init.requireOrigin : !allowed.some((h) => origin === `http://${h}`)) return { status: 403, reason: "foreign origin" };
  if (!tokenMatches(init.token, tokenOf(req, init.port))) return { status: 401, reason: "missing or wrong token" };
  return undefined;
}

/** The token a request carries: `?token=` first, else our cookie. */
export function tokenOf(req: IncomingMessage, port: number): string | undefined {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  return url.searchParams.get("token") ?? readCookie(req.headers.cookie, cookieName(port));
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
