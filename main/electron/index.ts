/**
 * @module
 * The Electron shell: one window, one room at a time, the app service in this (main) process.
 * Thin on purpose: everything but window, IPC and OS integration lives in main/app and runs without
 * Electron (browser mode, tests).
 */
import { join, resolve } from "node:path";
import { app, BrowserWindow, session } from "electron";
import { ticketFromArgv, LINK_SCHEME, ticketFromLink } from "../../shared/links.ts";
import { RoomService } from "../app/room-service.ts";
import { stderrLog } from "../log.ts";
import { createRoomMedia } from "../moq/room-media.ts";
import { defaultDataDir } from "../paths.ts";
import { emitTo, handleCommands } from "./ipc.ts";
import { mediaLinkOpener } from "./media-port.ts";
import { installScreenPicker } from "./screen-picker.ts";
import { startAutoUpdate } from "./updater.ts";
import { createAppWindow, hardenContents, registerAppScheme, restrictPermissions, serveRenderer } from "./window.ts";

const log = stderrLog("app", process.env.LIVE_ROOMS_LOG_LEVEL === "debug" ? "debug" : "info");
const here = import.meta.dirname;

registerAppScheme();
// A data directory given explicitly (tests, several profiles) also holds Chromium's profile, so the
// single-instance lock (per profile) lets one app run per data directory.
if (process.env.LIVE_ROOMS_DATA_DIR) app.setPath("userData", join(process.env.LIVE_ROOMS_DATA_DIR, "chromium"));
if (!app.requestSingleInstanceLock()) {
  // Another instance is running; it receives our argv (a liverooms:// link) through "second-instance".
  app.quit();
} else {
  void main();
}

async function main(): Promise<void> {
  app.setAsDefaultProtocolClient(LINK_SCHEME);
  // Defence in depth: any web contents, not just our window's, is refused new windows and navigation.
  app.on("web-contents-created", (_e, contents) => hardenContents(contents));

  // Filled in once the app is ready; links can arrive before that (macOS sends open-url early).
  const running: { service?: RoomService; window?: BrowserWindow; ticket?: string } = {};
  const offer = (ticket: string | undefined): void => {
    if (ticket === undefined) return;
    if (running.service === undefined) running.ticket = ticket;
    running.service?.offerTicket(ticket);
    if (running.window?.isMinimized()) running.window.restore();
    running.window?.focus();
  };
  app.on("second-instance", (_e, argv) => offer(ticketFromArgv(argv)));
  app.on("open-url", (e, url) => {
    e.preventDefault();
    offer(ticketFromLink(url));
  });

  await app.whenReady();
  const service = await RoomService.open({ dataDir: defaultDataDir(), log, media: (node, mediaLog) => createRoomMedia(node, mediaLog) });
  const ses = session.defaultSession;
  serveRenderer(ses, resolve(here, "../renderer"));
  restrictPermissions(ses);
  installScreenPicker(ses, service);
  handleCommands(service, log);
  const window = createAppWindow({ preload: resolve(here, "../preload/index.cjs") });
  emitTo(service, window.webContents);
  service.setMediaLinkOpener(mediaLinkOpener(window.webContents, service, log));
  Object.assign(running, { service, window });
  offer(running.ticket ?? ticketFromArgv(process.argv));
  void startAutoUpdate({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, env: process.env }, log);

  app.on("window-all-closed", () => app.quit());
  let leaving = false;
  app.on("before-quit", (e) => {
    // Leave the room cleanly (others see "left" at once, not a timeout), then quit for real.
    if (leaving) return;
    leaving = true;
    e.preventDefault();
    void service.close().finally(() => app.quit());
  });
}
