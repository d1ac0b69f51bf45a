/**
 * Serves the built renderer (out/renderer) read-only: GET and HEAD of files inside the root, nothing else.
 */
import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, resolve, sep } from "node:path";
import { ISOLATION_HEADERS } from "../app/csp.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
};

/** The file a URL path names inside `root`, or undefined for anything outside it or hidden. */
export function resolveStatic(root: string, urlPath: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (path.includes("\0") || path.split("/").some((seg) => seg.startsWith("."))) return undefined;
  const base = resolve(root);
  const file = resolve(base, "." + (path === "/" ? "/index.html" : path));
  return file.startsWith(base + sep) ? file : undefined;
}

/** Headers every response carries. */
export const COMMON_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  // The page URL carries the session token: never leak it in a Referer.
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  ...ISOLATION_HEADERS,
  "Cache-Control": "no-store",
};

/** Send the file `req` names, with `extra` headers on HTML; 404/405 otherwise. */
export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, extra: (file: string) => Record<string, string>): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { ...COMMON_HEADERS, Allow: "GET, HEAD" }).end();
    return;
  }
  const file = resolveStatic(root, new URL(req.url ?? "/", "http://127.0.0.1").pathname);
  const type = file === undefined ? undefined : TYPES[extname(file)];
  if (file === undefined || type === undefined || !(await stat(file).then((s) => s.isFile(), () => false))) {
    res.writeHead(404, { ...COMMON_HEADERS, "Content-Type": "text/plain; charset=utf-8" }).end("not found\n");
    return;
  }
  const body = await readFile(file);
  res.writeHead(200, { ...COMMON_HEADERS, ...extra(file), "Content-Type": type, "Content-Length": String(body.length) });
  res.end(req.method === "HEAD" ? undefined : body);
}
