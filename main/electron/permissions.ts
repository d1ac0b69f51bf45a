/**
 * Which permissions our page gets: camera and microphone ("media") and screen capture ("display-capture"),
 * only for our own page. Everything else, and everything for any other origin, is refused.
 * Pure so it is tested without Electron.
 */
import { isAppUrl } from "./app-url.ts";

/** Permissions we ever grant. */
export const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(["media", "display-capture"]);

/** Whether to grant `permission` to a page at `url`. */
export function allowPermission(permission: string, url: string | undefined): boolean {
  return GRANTED_PERMISSIONS.has(permission) && isAppUrl(url);
}
