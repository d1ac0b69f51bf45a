/**
 * Our own page's address. The renderer is served from a privileged custom scheme rather than file://
 * (Electron security checklist #18), so "our page" is exactly this scheme and host.
 */

/** Scheme the built renderer is served under. */
export const APP_SCHEME = "app";
/** Host part of every app URL. */
export const APP_HOST = "live-rooms";
/** The page the window loads. */
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Whether `url` is a page of ours (any path under our scheme and host). */
export function isAppUrl(url: string | undefined): boolean {
  if (url === undefined) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === "" && u.password === "";
  } catch {
    return false;
  }
}
