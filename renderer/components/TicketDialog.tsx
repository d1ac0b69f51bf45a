/** Invite others: copies a fresh ticket and shows it, for copying by hand where the clipboard is unavailable. */
import { useId, useState, type ReactNode } from "react";
import { useCommands } from "../context.tsx";
import { Dialog } from "./Dialog.tsx";

type Shown = { ticket: string; copied: boolean } | undefined;

/** The "Copy ticket" button and the dialog it opens. */
export function CopyTicketButton(): ReactNode {
  const commands = useCommands();
  const [shown, setShown] = useState<Shown>(undefined);
  const titleId = useId();
  const fieldId = useId();

  const open = async (): Promise<void> => {
    const ticket = await commands.fetchTicket();
    if (ticket === undefined) return;
    const copied = await navigator.clipboard?.writeText(ticket).then(
      () => true,
      () => false,
    );
    setShown({ ticket, copied: copied === true });
  };

  return (
    <>
      <button type="button" className="button" onClick={() => void open()}>
        Copy ticket
      </button>
      <Dialog open={shown !== undefined} onClose={() => setShown(undefined)} labelledBy={titleId}>
        {shown && (
          <div className="dialog-body">
            <h2 id={titleId}>{shown.copied ? "Ticket copied" : "Room ticket"}</h2>
            <p>
              {shown.copied ? "Send it to the people you want to invite. " : "Copy it and send it to the people you want to invite. "}
              Anyone with the ticket can join this room.
            </p>
            <label htmlFor={fieldId} className="sr-only">
              Room ticket
            </label>
            <textarea id={fieldId} className="ticket-output" readOnly rows={4} value={shown.ticket} data-testid="room-ticket" onFocus={(e) => e.currentTarget.select()} />
            <div className="dialog-actions">
              <button type="button" className="button button--primary" onClick={() => setShown(undefined)} autoFocus>
                Done
              </button>
            </div>
          </div>
        )}
      </Dialog>
    </>
  );
}
