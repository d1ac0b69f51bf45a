/** Tells the user, in the call, that camera and microphone are blocked and how to allow them again. */
import type { ReactNode } from "react";
import { useApp, useCommands } from "../context.tsx";
import { accessHelp } from "../media-access.ts";

/** The notice, or nothing while access is granted or not yet asked for. */
export function MediaAccessNotice(): ReactNode {
  const access = useApp((s) => s.access);
  const commands = useCommands();
  if (access === undefined || access.state === "granted") return null;
  return (
    <div className="alert alert--bar" role="alert" data-testid="media-access">
      <p>
        <strong>{access.message}</strong> Others can’t see or hear you. {access.state === "denied" ? accessHelp(navigator.userAgent) : ""}
      </p>
      <button type="button" className="button button--quiet" onClick={() => void commands.retryMediaAccess()}>
        Try again
      </button>
    </div>
  );
}
