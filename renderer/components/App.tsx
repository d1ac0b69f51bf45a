/** The root: lobby or call, plus what can overlay either (transport banner, screen picker). */
import type { ReactNode } from "react";
import { useApp } from "../context.tsx";
import { selectInRoom } from "../store/room/selectors.ts";
import type { TransportState } from "../store/room/state.ts";
import { CallView } from "./CallView.tsx";
import { Lobby } from "./Lobby.tsx";
import { ScreenPicker } from "./ScreenPicker.tsx";

const TRANSPORT_WORDS: Record<Exclude<TransportState, "open">, string> = {
  reconnecting: "Connecting to Live Rooms…",
  replaced: "Live Rooms is open in another tab. Close this one.",
  closed: "Live Rooms has stopped. You can close this tab.",
};

/** The whole UI. */
export function App(): ReactNode {
  const inRoom = useApp(selectInRoom);
  const loaded = useApp((s) => s.identity !== undefined);
  const transport = useApp((s) => s.transport);
  return (
    <>
      {transport !== "open" && (
        <div className={`transport transport--${transport}`} role="status">
          {TRANSPORT_WORDS[transport]}
        </div>
      )}
      {!loaded ? (
        <main className="loading" aria-busy="true">
          <p>Starting Live Rooms…</p>
        </main>
      ) : inRoom ? (
        <CallView />
      ) : (
        <Lobby />
      )}
      <ScreenPicker />
    </>
  );
}
