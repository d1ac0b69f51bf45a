/**
 * `rooms serve`: browser mode. Runs the app service in this process and serves the UI to a local browser
 * at a printed URL carrying a session token (see main/browser/server.ts).
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { RoomService } from "../app/room-service.ts";
import { startBrowserServer } from "../browser/server.ts";
import { stderrLog } from "../log.ts";
import { createRoomMedia } from "../moq/room-media.ts";
import { DEFAULT_LISTEN } from "../net/node.ts";
import { defaultDataDir } from "../paths.ts";
import type { PeerOpts } from "./args.ts";

/** The built renderer, relative to this file (npm run build writes it). */
export const RENDERER_DIR = resolve(import.meta.dirname, "..", "..", "out", "renderer");

/** Serve until SIGINT/SIGTERM, then leave the room and stop. */
export async function runServe(opts: PeerOpts, port: number | undefined): Promise<void> {
  if (!existsSync(join(RENDERER_DIR, "index.html"))) {
    throw new Error(`no built UI at ${RENDERER_DIR}: run \`npm run build\` first`);
  }
  const log = stderrLog("serve", opts.logLevel);
  const service = await RoomService.open({
    dataDir: opts.dataDir ?? defaultDataDir(),
    log,
    listen: opts.listen.length > 0 ? opts.listen : DEFAULT_LISTEN,
    media: (node, mediaLog) => createRoomMedia(node, mediaLog),
  });
  const server = await startBrowserServer({ service, staticDir: RENDERER_DIR, log, ...(port !== undefined && { port }) });
  process.stdout.write((opts.json ? JSON.stringify({ type: "serving", url: server.url }) : server.url) + "\n");

  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      // Leave first, so the room sees a goodbye even if closing the sockets is slow.
      void service.close()
        .catch((err: unknown) => log.warn("leaving failed", { error: String(err) }))
        .then(() => server.close())
        .finally(done);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
