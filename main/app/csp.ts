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

/**
 * Cross-origin isolation for the renderer's pages, in both hosts. The page then gets SharedArrayBuffer,
 * which the audio player uses to hand decoded audio to its worklet without a message per packet
 * (renderer/media/watch/pcm-ring.ts). Everything the page loads is its own origin's, so `require-corp`
 * costs nothing; COOP `same-origin` cuts it off from any window that opened it.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
};
