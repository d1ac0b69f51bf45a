/**
 * The renderer's Content-Security-Policy, one definition for both hosts (Electron and browser mode).
 *
 * Only our own bundled scripts and styles run; no inline script, no eval, no plugins, no frames, no
 * forms, no <base>. Peer-supplied text is rendered as text, so these rules are the second line of defence.
 * `blob:`/`mediastream:` media is what camera, screen and decoded remote video need.
 */

/** The CSP header value; `connect` lists the extra endpoints the page may open (e.g. the browser-mode socket). */
export function contentSecurityPolicy(connect: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "font-src 'self'",
    `connect-src 'self' ${connect.join(" ")}`.trim(),
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join("; ");
}
