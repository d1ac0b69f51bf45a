/** The call: a top bar (state, ticket, leave), the tile stage, and the people and chat panels. */
import type { ReactNode } from "react";
import { useApp, useCommands } from "../context.tsx";
import { selectHeadcount } from "../store/room/selectors.ts";
import { ChatPanel } from "./ChatPanel.tsx";
import { ConnectionBadge } from "./ConnectionBadge.tsx";
import { ParticipantsList } from "./ParticipantsList.tsx";
import { CopyTicketButton } from "./TicketDialog.tsx";
import { TileGrid } from "./TileGrid.tsx";
import { CallControls } from "./CallControls.tsx";
import { AudioUnblock, MediaNotice } from "./MediaNotice.tsx";
import { MediaAccessNotice } from "./MediaAccessNotice.tsx";

/** The call screen. */
export function CallView(): ReactNode {
  const commands = useCommands();
  const headcount = useApp(selectHeadcount);
  const leaving = useApp((s) => s.connection === "leaving");
  const error = useApp((s) => s.error);
  return (
    <div className="call">
      <header className="call-bar">
        <div className="call-title">
          <div className="logo logo--small" aria-hidden="true" />
          <h1>Live Rooms</h1>
          <span className="call-count">
            {headcount} {headcount === 1 ? "person" : "people"}
          </span>
        </div>
        <ConnectionBadge />
        <div className="call-actions">
          <CopyTicketButton />
          <button type="button" className="button button--danger" onClick={() => void commands.leaveRoom()} disabled={leaving}>
            Leave
          </button>
        </div>
      </header>
      {error !== undefined && (
        <div className="alert alert--bar" role="alert">
          <p>{error}</p>
          <button type="button" className="button button--quiet" onClick={commands.dismissError}>
            Dismiss
          </button>
        </div>
      )}
      <MediaAccessNotice />
      <MediaNotice />
      <main className="stage" aria-label="Call">
        <TileGrid />
        <AudioUnblock />
        <CallControls />
      </main>
      <aside className="side" aria-label="People and chat">
        <ParticipantsList />
        <ChatPanel />
      </aside>
    </div>
  );
}
