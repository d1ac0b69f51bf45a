/**
 * Camera and microphone access, asked for when the user joins a call (never at startup), and what to tell
 * them when it is refused: how to turn it back on, per platform.
 */

/** The outcome of asking for camera and microphone. */
export type MediaAccess =
  | { state: "granted" }
  | { state: "denied" | "unavailable" | "error"; message: string };

/** Ask for camera and microphone; the probe's tracks are stopped at once (publishing opens its own). */
export async function requestCallMedia(devices: MediaDevices | undefined = globalThis.navigator?.mediaDevices): Promise<MediaAccess> {
  if (devices?.getUserMedia === undefined) return { state: "unavailable", message: "This browser offers no camera or microphone access." };
  try {
    const stream = await devices.getUserMedia({ audio: true, video: true });
    for (const t of stream.getTracks()) t.stop();
    return { state: "granted" };
  } catch (err) {
    const e = err as DOMException;
    if (e.name === "NotAllowedError" || e.name === "SecurityError") return { state: "denied", message: "Camera and microphone access was refused." };
    if (e.name === "NotFoundError" || e.name === "OverconstrainedError") return { state: "unavailable", message: "No camera or microphone was found." };
    return { state: "error", message: `Camera and microphone could not be opened (${e.name}).` };
  }
}

/** How to allow camera and microphone again on the platform `userAgent` describes. */
export function accessHelp(userAgent: string): string {
  if (/Electron/.test(userAgent)) {
    if (/Mac OS X|Macintosh/.test(userAgent)) return "Open System Settings → Privacy & Security → Camera and Microphone, turn on Live Rooms, then try again.";
    if (/Windows/.test(userAgent)) return "Open Settings → Privacy & security → Camera and Microphone, turn on “Let desktop apps access”, then try again.";
    return "Check that no other app is using the camera and that your desktop allows Live Rooms to use it, then try again.";
  }
  return "Click the camera icon in the address bar (or the site settings next to the address), allow camera and microphone for this page, then try again.";
}
