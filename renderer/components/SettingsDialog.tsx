/** Settings reachable from the lobby: who you are on the network, where your data lives, and a way to start over. */
import { useId, useState, type ReactNode } from "react";
import { useApp, useCommands } from "../context.tsx";
import { Dialog } from "./Dialog.tsx";

/** The "Settings" button and its dialog. */
export function SettingsButton(): ReactNode {
  const commands = useCommands();
  const identity = useApp((s) => s.identity);
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const titleId = useId();
  const close = (): void => {
    setOpen(false);
    setConfirming(false);
  };
  return (
    <>
      <button type="button" className="button button--quiet" onClick={() => setOpen(true)}>
        Settings
      </button>
      <Dialog open={open} onClose={close} labelledBy={titleId}>
        {open && identity !== undefined && (
          <div className="dialog-body">
            <h2 id={titleId}>Settings</h2>
            <dl className="settings">
              <dt>Your peer id</dt>
              <dd data-testid="peer-id">{identity.peerId}</dd>
              <dt>Data folder</dt>
              <dd data-testid="data-dir">{identity.dataDir}</dd>
            </dl>
            <p className="hint">
              Resetting your identity gives this device a new peer id: people will see you as someone new. Your name is kept.
            </p>
            <div className="dialog-actions">
              {confirming ? (
                <button type="button" className="button button--danger" onClick={() => void commands.resetIdentity().then(() => setConfirming(false))}>
                  Yes, reset my identity
                </button>
              ) : (
                <button type="button" className="button" onClick={() => setConfirming(true)}>
                  Reset identity…
                </button>
              )}
              <button type="button" className="button button--primary" onClick={close} autoFocus>
                Done
              </button>
            </div>
          </div>
        )}
      </Dialog>
    </>
  );
}
