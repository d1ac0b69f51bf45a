/**
 * The only file that touches ipcMain. Commands arrive on one channel as (method, args), are checked for
 * their sender, then validated and run by the app service. Events go out through the service's ready
 * queue to the one window.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from "electron";
import type { IpcResult } from "../../shared/ipc.ts";
import { EVENT_CHANNEL, INVOKE_CHANNEL } from "../../shared/ipc-channels.ts";
import { fail } from "../app/errors.ts";
import type { RoomService } from "../app/room-service.ts";
import type { Log } from "../log.ts";
import { isTrustedSender } from "./sender-guard.ts";

/** What the handler needs from the service. */
export type CommandTarget = Pick<RoomService, "invoke">;

/** The invoke handler: refuses untrusted senders before anything else happens. */
export function commandHandler(target: CommandTarget, log: Log): (event: IpcMainInvokeEvent, method: unknown, args: unknown) => Promise<IpcResult<unknown>> {
  return async (event, method, args) => {
    if (!isTrustedSender(event)) {
      log.warn("refused IPC from an untrusted sender", { url: event.senderFrame?.url ?? "(gone)" });
      return fail("forbidden", "not our page");
    }
    return target.invoke(method, args);
  };
}

/** Route commands to the service. Returns the removal function. */
export function handleCommands(target: CommandTarget, log: Log): () => void {
  ipcMain.handle(INVOKE_CHANNEL, commandHandler(target, log));
  return () => ipcMain.removeHandler(INVOKE_CHANNEL);
}

/** Deliver the service's events to a window; every new page load starts from the service's snapshot. */
export function emitTo(service: Pick<RoomService, "attach">, contents: WebContents): void {
  const send = (): ReturnType<RoomService["attach"]> =>
    service.attach((ev) => {
      if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, ev);
    });
  let detach = send();
  contents.on("did-start-navigation", (details) => {
    // A reload: the new page subscribes afresh and says ready again.
    if (details.isMainFrame && !details.isSameDocument) {
      detach();
      detach = send();
    }
  });
  contents.once("destroyed", () => detach());
}
