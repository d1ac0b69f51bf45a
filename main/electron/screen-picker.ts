/**
 * Screen sharing under Electron: `getDisplayMedia` in the page lands in the session's display-media
 * handler, which lists screens and windows (with thumbnails) and asks the UI to pick one
 * (`screenShareRequested` → `pickScreenSource`). Unanswered requests are refused after a minute.
 */
import { randomUUID } from "node:crypto";
import { desktopCapturer, type DesktopCapturerSource, type Session, type Streams } from "electron";
import type { IpcResult, ScreenSourceInfo } from "../../shared/ipc.ts";
import { fail, ok } from "../app/errors.ts";
import type { RoomService } from "../app/room-service.ts";
import { isAppUrl } from "./app-url.ts";

/** How long the picker waits for the user. */
export const PICK_TIMEOUT_MS = 60_000;

interface Pending {
  sources: DesktopCapturerSource[];
  answer: (streams: Streams | null) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** Install the display-media handler on `session`, answering through `service`. */
export function installScreenPicker(session: Session, service: Pick<RoomService, "emit" | "setScreenPicker">): void {
  const pending = new Map<string, Pending>();

  session.setDisplayMediaRequestHandler((request, callback) => {
    if (!isAppUrl(request.frame?.url)) return callback(null);
    void desktopCapturer.getSources({ types: ["screen", "window"], thumbnailSize: { width: 320, height: 180 } }).then(
      (sources) => {
        const requestId = randomUUID();
        const timer = setTimeout(() => settle(requestId, null), PICK_TIMEOUT_MS);
        pending.set(requestId, { sources, answer: callback, timer });
        service.emit({ event: "screenShareRequested", payload: { requestId, sources: sources.map(describe) } });
      },
      () => callback(null),
    );
  });

  const settle = (requestId: string, source: DesktopCapturerSource | null): void => {
    const p = pending.get(requestId);
    if (p === undefined) return;
    pending.delete(requestId);
    clearTimeout(p.timer);
    p.answer(source === null ? null : { video: source });
  };

  service.setScreenPicker(({ requestId, sourceId }): Promise<IpcResult<void>> => {
    const p = pending.get(requestId);
    if (p === undefined) return Promise.resolve(fail("bad-args", "no such screen request (it may have timed out)"));
    if (sourceId === null) {
      settle(requestId, null);
      return Promise.resolve(ok(undefined));
    }
    const source = p.sources.find((s) => s.id === sourceId);
    if (source === undefined) return Promise.resolve(fail("bad-args", "that screen or window is not among the offered ones"));
    settle(requestId, source);
    return Promise.resolve(ok(undefined));
  });
}

function describe(s: DesktopCapturerSource): ScreenSourceInfo {
  return { id: s.id, name: s.name, kind: s.id.startsWith("screen:") ? "screen" : "window", thumbnail: s.thumbnail.isEmpty() ? "" : s.thumbnail.toDataURL() };
}
