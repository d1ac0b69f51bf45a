/** The room's connection state, in words, visible and announced. */
import type { ReactNode } from "react";
import { useApp } from "../context.tsx";
import { CONNECTION_LABELS, selectConnection } from "../store/room/selectors.ts";

/** "Connecting…", "In the room", "Reconnecting…", "Leaving…". */
export function ConnectionBadge(): ReactNode {
  const state = useApp(selectConnection);
  return (
    <p className={`badge badge--${state}`} role="status" data-testid="connection-state" data-state={state}>
      <span className="badge-dot" aria-hidden="true" />
      {CONNECTION_LABELS[state]}
    </p>
  );
}
