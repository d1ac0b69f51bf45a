/**
 * The app window and its session, locked down per the Electron security checklist (docs/SECURITY.md):
 * the renderer comes from our own privileged scheme with a CSP header; the window is sandboxed with
 * context isolation and no Node; new windows, navigation away and <webview> are refused; permissions
 * are limited to camera, microphone and screen capture for our page.
 */
import { readFile } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";
import { BrowserWindow, protocol, type Session } from "electron";
import { contentSecurityPolicy, ISOLATION_HEADERS } from "../app/csp.ts";
import { APP_HOST, APP_SCHEME, APP_URL, isAppUrl } from "./app-url.ts";
import { allowPermission } from "./permissions.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
  ".json": "application/json",
};

/** Declare our scheme as standard and secure; must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serve the built renderer under app://live-rooms/, read-only, with the CSP on HTML. */
export function serveRenderer(session: Session, rendererDir: string): void {
  const root = resolve(rendererDir);
  session.protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const path = decodeURIComponent(url.pathname);
    const file = resolve(root, "." + (path === "/" ? "/index.html" : path));
    const type = TYPES[extname(file)];
    if (url.host !== APP_HOST || !file.startsWith(root + sep) || type === undefined) return new Response("not found", { status: 404 });
    try {
      const body = await readFile(file);
      const headers: Record<string, string> = { "Content-Type": type, "X-Content-Type-Options": "nosniff", ...ISOLATION_HEADERS };
      if (type.startsWith("text/html")) headers["Content-Security-Policy"] = contentSecurityPolicy();
      return new Response(body, { headers });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
}

/** Grant only camera, microphone and screen capture, only to our page. */
export function restrictPermissions(session: Session): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(allowPermission(permission, details.requestingUrl ?? contents.getURL()));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => allowPermission(permission, requestingOrigin + "/"));
  // Devices (HID, serial, USB, Bluetooth) are never ours to hand out.
  session.setDevicePermissionHandler(() => false);
}

/** Options for {@link createAppWindow}. */
export interface AppWindowInit {
  preload: string;
}

/** Create the one window, loading our page. */
export function createAppWindow(init: AppWindowInit): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 420,
    minHeight: 520,
    title: "Live Rooms",
    show: false,
    webPreferences: {
      preload: init.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: true,
    },
  });
  hardenContents(win.webContents);
  win.once("ready-to-show", () => win.show());
  void win.loadURL(APP_URL);
  return win;
}

/** Refuse new windows, navigation off our page, and <webview> (checklist #12–#14). */
export function hardenContents(contents: Electron.WebContents): void {
  // Links in chat are text, but a window.open or a dropped link must still go nowhere.
  contents.setWindowOpenHandler(() => ({ action: "deny" }));
  contents.on("will-navigate", (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on("will-redirect", (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on("will-attach-webview", (event) => event.preventDefault());
}
