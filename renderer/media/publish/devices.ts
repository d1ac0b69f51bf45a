/**
 * Opening capture devices. A device asked for by id that cannot be opened (unplugged, busy) falls back
 * to the platform default, and the caller learns which device it actually got.
 */

/** Which capture device. */
export type DeviceKind = "camera" | "microphone";

/** What the camera is asked for: 720p30 where it can, so both camera renditions are native or downscaled. */
export function cameraConstraints(deviceId?: string): MediaTrackConstraints {
  return { ...(deviceId !== undefined && { deviceId: { exact: deviceId } }), width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };
}

/** What the microphone is asked for: the browser's voice processing on. */
export function microphoneConstraints(deviceId?: string): MediaTrackConstraints {
  return { ...(deviceId !== undefined && { deviceId: { exact: deviceId } }), echoCancellation: true, noiseSuppression: true, autoGainControl: true };
}

/** An opened device, and whether it is a fallback for the one asked for. */
export interface Opened {
  track: MediaStreamTrack;
  /** The device asked for could not be opened: this is the default device instead. */
  fellBack?: { wanted: string; error: Error };
}

/** Open a camera or microphone, falling back to the default device when `deviceId` fails. */
export async function openDevice(kind: DeviceKind, deviceId?: string): Promise<Opened> {
  const constraints = kind === "camera" ? cameraConstraints : microphoneConstraints;
  const open = async (id?: string): Promise<MediaStreamTrack> => {
    const stream = await navigator.mediaDevices.getUserMedia(kind === "camera" ? { video: constraints(id) } : { audio: constraints(id) });
    const [track] = kind === "camera" ? stream.getVideoTracks() : stream.getAudioTracks();
    if (track === undefined) throw new Error(`no ${kind} track`);
    return track;
  };
  if (deviceId === undefined) return { track: await open() };
  try {
    return { track: await open(deviceId) };
  } catch (err) {
    // Permission refusals are not device problems: another device would be refused too.
    if (err instanceof DOMException && err.name === "NotAllowedError") throw err;
    return { track: await open(), fellBack: { wanted: deviceId, error: err instanceof Error ? err : new Error(String(err)) } };
  }
}

/** Whether a device id is still among the connected devices of its kind. */
export async function isConnected(kind: DeviceKind, deviceId: string): Promise<boolean> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  const want = kind === "camera" ? "videoinput" : "audioinput";
  return devices.some((d) => d.kind === want && d.deviceId === deviceId);
}
