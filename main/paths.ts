/** Where Live Rooms keeps its files when not told otherwise. */
import { homedir } from "node:os";
import { join } from "node:path";

/** Default data directory: $LIVE_ROOMS_DATA_DIR, else the platform's per-user data folder. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LIVE_ROOMS_DATA_DIR) return env.LIVE_ROOMS_DATA_DIR;
  switch (process.platform) {
    case "darwin":
      return join(homedir(), "Library", "Application Support", "Live Rooms");
    case "win32":
      return join(env.APPDATA ?? join(homedir(), "AppData", "Roaming"), "Live Rooms");
    default:
      return join(env.XDG_DATA_HOME ?? join(homedir(), ".local", "share"), "live-rooms");
  }
}
