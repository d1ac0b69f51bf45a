/** The lobby: pick a name, then create a room or join one from a pasted ticket (validated as you type). */
import { useId, useMemo, useState, type FormEvent, type ReactNode } from "react";
import { LIMITS } from "../../shared/ipc.ts";
import { ticketFromInput } from "../../shared/links.ts";
import { RoomTicket } from "../../shared/ticket.ts";
import { useApp, useCommands } from "../context.tsx";
import { SettingsButton } from "./SettingsDialog.tsx";

const utf8Len = (s: string): number => new TextEncoder().encode(s).length;

/** Why a display name cannot be used, or undefined when it can. */
export function nameProblem(name: string): string | undefined {
  if (name.trim() === "") return "Enter the name others will see.";
  if (utf8Len(name.trim()) > LIMITS.displayNameBytes) return "That name is too long.";
  return undefined;
}

/** What the ticket field says about its content. */
export function ticketStatus(text: string): { ok: boolean; message: string } {
  if (text.trim() === "") return { ok: false, message: "Paste the ticket someone shared with you." };
  const parsed = RoomTicket.tryParse(ticketFromInput(text));
  if (!parsed.ok) return { ok: false, message: `Not a valid ticket: ${parsed.error.message}.` };
  const n = parsed.value.bootstrap.length;
  return { ok: true, message: n === 0 ? "Valid ticket (it names no one to connect through)." : `Valid ticket: connects through ${n} ${n === 1 ? "person" : "people"}.` };
}

/** The lobby screen. */
export function Lobby(): ReactNode {
  const commands = useCommands();
  // First run: no saved name yet, so offer one from the OS account (the user can change it).
  const savedName = useApp((s) => s.identity?.displayName ?? s.identity?.suggestedName);
  const offered = useApp((s) => s.offeredTicket);
  const entering = useApp((s) => s.entering);
  const error = useApp((s) => s.error);
  const [name, setName] = useState(savedName ?? "");
  const [ticket, setTicket] = useState(offered ?? "");
  const [lastOffered, setLastOffered] = useState(offered);
  const [nameTouched, setNameTouched] = useState(false);
  const [lastSaved, setLastSaved] = useState(savedName);
  if (savedName !== lastSaved) {
    // The identity arrived after the lobby mounted: fill the name in unless the user already typed one.
    setLastSaved(savedName);
    if (name === "" && savedName !== undefined) setName(savedName);
  }
  if (offered !== lastOffered) {
    // A ticket arrived from a link while the lobby is open: show it (React's "adjust state on prop change").
    setLastOffered(offered);
    if (offered !== undefined) setTicket(offered);
  }
  const ids = { name: useId(), nameHint: useId(), ticket: useId(), ticketStatus: useId(), title: useId() };
  const badName = nameProblem(name);
  const status = useMemo(() => ticketStatus(ticket), [ticket]);
  const ticketTyped = ticket.trim() !== "";

  const create = (): void => {
    setNameTouched(true);
    if (badName === undefined && !entering) void commands.createRoom(name.trim());
  };
  const join = (e?: Pick<FormEvent, "preventDefault">): void => {
    e?.preventDefault();
    setNameTouched(true);
    if (badName === undefined && status.ok && !entering) void commands.joinRoom(ticketFromInput(ticket), name.trim());
  };

  return (
    <main className="lobby" aria-labelledby={ids.title}>
      <section className="card lobby-card">
        <header className="lobby-head">
          <div className="logo" aria-hidden="true" />
          <div>
            <h1 id={ids.title}>Live Rooms</h1>
            <p className="lede">Meet directly, peer to peer. No accounts.</p>
          </div>
        </header>

        <div className="field">
          <label htmlFor={ids.name}>Your name</label>
          <input
            id={ids.name}
            type="text"
            autoComplete="nickname"
            value={name}
            onChange={(e) => setName(e.target.value)}
            onBlur={() => setNameTouched(true)}
            onKeyDown={(e) => e.key === "Enter" && create()}
            aria-invalid={nameTouched && badName !== undefined}
            aria-describedby={ids.nameHint}
          />
          <p id={ids.nameHint} className={nameTouched && badName ? "hint hint--error" : "hint"}>
            {nameTouched && badName ? badName : "Shown to everyone in the room. Remembered for next time."}
          </p>
        </div>

        <button type="button" className="button button--primary button--wide" onClick={create} disabled={entering}>
          {entering ? "Starting…" : "Create a room"}
        </button>

        <div className="divider" role="separator">
          <span>or join a room</span>
        </div>

        <form className="field" onSubmit={join} aria-label="Join a room">
          <label htmlFor={ids.ticket}>Room ticket</label>
          <textarea
            id={ids.ticket}
            className="ticket-input"
            rows={3}
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            placeholder="room…"
            value={ticket}
            onChange={(e) => setTicket(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && !e.shiftKey) join(e);
            }}
            aria-invalid={ticketTyped && !status.ok}
            aria-describedby={ids.ticketStatus}
          />
          <p id={ids.ticketStatus} className={`hint ${ticketTyped ? (status.ok ? "hint--ok" : "hint--error") : ""}`} role="status" data-testid="ticket-status">
            {status.message}
          </p>
          <button type="submit" className="button button--wide" disabled={!status.ok || entering}>
            Join room
          </button>
        </form>

        <div className="lobby-foot">
          <SettingsButton />
        </div>

        {error !== undefined && (
          <div className="alert" role="alert">
            <p>{error}</p>
            <button type="button" className="button button--quiet" onClick={commands.dismissError}>
              Dismiss
            </button>
          </div>
        )}
      </section>
    </main>
  );
}
