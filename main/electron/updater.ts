/**
 * Auto-update through electron-updater, switched on only when there is somewhere to update from:
 * a packaged app whose build configured a publish target (electron-builder then writes
 * `resources/app-update.yml`). Our electron-builder.yml has `publish: null`, so released builds stay
 * put until a maintainer sets one; the release workflow passes a GitHub target explicitly.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Log } from "../log.ts";

/** What decides whether updates run. */
export interface UpdateEnvironment {
  isPackaged: boolean;
  resourcesPath: string;
  /** LIVE_ROOMS_NO_UPDATES=1 turns updates off even when configured (managed installs). */
  env: NodeJS.ProcessEnv;
  exists?: (path: string) => boolean;
}

/** Whether to check for updates in this environment. */
export function updatesEnabled(e: UpdateEnvironment): boolean {
  if (!e.isPackaged || e.env.LIVE_ROOMS_NO_UPDATES === "1") return false;
  return (e.exists ?? existsSync)(join(e.resourcesPath, "app-update.yml"));
}

/** Check for updates in the background and notify the user when one is ready, if enabled. */
export async function startAutoUpdate(e: UpdateEnvironment, log: Log): Promise<void> {
  if (!updatesEnabled(e)) {
    log.info("auto-update off (no publish target configured, or not packaged)");
    return;
  }
  const { autoUpdater } = await import("electron-updater");
  autoUpdater.on("error", (err: Error) => log.warn("update check failed", { error: err.message }));
  await autoUpdater.checkForUpdatesAndNotify();
}
