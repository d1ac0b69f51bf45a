/**
 * Per-user settings remembered across runs (display name, devices, relays, STUN, mDNS), in `<dataDir>/settings.json`.
 *
 * The file is user data, so it is validated on read; a malformed file counts as empty settings rather
 * than stopping the app (unlike the identity key, nothing is lost by starting over), and is moved aside
 * to `settings.json.corrupt-<time>` so the next save does not destroy what the user may want to recover.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { LIMITS } from "../../shared/ipc.ts";
import type { Log } from "../log.ts";

/** File name of the settings inside the data directory. */
export const SETTINGS_FILE = "settings.json";

const SettingsSchema = z.object({
  displayName: z.string().max(LIMITS.displayNameBytes * 4).optional(),
  devices: z.object({ camera: z.string().max(LIMITS.deviceIdChars).optional(), microphone: z.string().max(LIMITS.deviceIdChars).optional(), speaker: z.string().max(LIMITS.deviceIdChars).optional() }).optional(),
  relays: z.array(z.string().max(LIMITS.relayChars)).max(LIMITS.relays).optional(),
  stun: z.array(z.string().max(262)).max(LIMITS.stunServers).optional(),
  mdns: z.boolean().optional(),
});

/** What we remember. */
export type Settings = z.infer<typeof SettingsSchema>;

/** Read the settings; missing or malformed files give `{}`. */
export async function loadSettings(dataDir: string, log: Log): Promise<Settings> {
  const file = join(dataDir, SETTINGS_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") log.warn("cannot read settings", { file, error: String(err) });
    return {};
  }
  try {
    return SettingsSchema.parse(JSON.parse(text));
  } catch (err) {
    const aside = `${file}.corrupt-${Date.now()}`;
    await rename(file, aside).catch(() => undefined);
    log.warn("malformed settings moved aside; using defaults", { file, aside, error: String(err) });
    return {};
  }
}

/** Write the settings atomically (temp file + rename). */
export async function saveSettings(dataDir: string, settings: Settings): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, SETTINGS_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(settings, null, 2) + "\n", { mode: 0o600 });
  await rename(tmp, file);
}
