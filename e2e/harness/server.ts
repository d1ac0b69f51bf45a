/**
 * Builds the media-lab pages (vite.config.ts beside this file) and serves them on 127.0.0.1, a secure
 * context, so WebCodecs, getUserMedia and AudioWorklet work as in the app.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { build } from "vite";
import { serveStatic } from "../../main/browser/static.ts";

const OUT = resolve(import.meta.dirname, "../../out/harness");

let built: Promise<unknown> | undefined;

/** Build the pages once per process. */
export function buildHarness(): Promise<unknown> {
  built ??= build({ configFile: resolve(import.meta.dirname, "vite.config.ts") });
  return built;
}

/** A running harness server. */
export interface Harness {
  /** URL of a page by its file name without `.html`. */
  page(name: string): string;
  close(): Promise<void>;
}

/** Build (once) and serve the lab pages. */
export async function startHarness(): Promise<Harness> {
  await buildHarness();
  const server: Server = createServer((req, res) => {
    // `?isolated=0`: a page that is not cross-origin isolated (no SharedArrayBuffer), like a host without the headers.
    const plain = new URL(req.url ?? "/", "http://x").searchParams.get("isolated") === "0";
    void serveStatic(OUT, req, res, (): Record<string, string> => (plain ? { "Cross-Origin-Embedder-Policy": "unsafe-none" } : {})).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    page: (name) => `http://127.0.0.1:${port}/${name}.html`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
