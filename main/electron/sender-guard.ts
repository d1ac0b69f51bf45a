/**
 * Which IPC senders we answer: only the top frame of our own page (Electron security checklist #17).
 * A subframe, a page that navigated elsewhere, or a frame that is gone gets nothing.
 */
import { isAppUrl } from "./app-url.ts";

/** The part of Electron's WebFrameMain the guard reads. */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}

/** The part of an IPC event the guard reads. */
export interface IpcSenderEvent {
  readonly senderFrame: SenderFrame | null;
}

/** Whether an IPC message comes from our page's top frame. */
export function isTrustedSender(event: IpcSenderEvent): boolean {
  const frame = event.senderFrame;
  if (frame === null) return false;
  return frame.parent === null && isAppUrl(frame.url);
}
