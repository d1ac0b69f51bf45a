/** The screen-source picker main asks for when the page wants to share a screen (Electron only). */
import { useId, useState, type ReactNode } from "react";
import { useApp, useCommands } from "../context.tsx";
import { selectScreenRequest } from "../store/media/selectors.ts";
import { Dialog } from "./Dialog.tsx";

/** The picker dialog; closed while nothing is asked. */
export function ScreenPicker(): ReactNode {
  const request = useApp(selectScreenRequest);
  const commands = useCommands();
  const titleId = useId();
  const [chosen, setChosen] = useState<{ requestId: string; sourceId: string } | undefined>(undefined);
  const selected = chosen?.requestId === request?.requestId ? chosen?.sourceId : undefined;
  const answer = (sourceId: string | null): void => {
    if (request !== undefined) void commands.pickScreenSource(request.requestId, sourceId);
  };
  return (
    <Dialog open={request !== undefined} onClose={() => answer(null)} labelledBy={titleId} className="dialog--wide">
      {request && (
        <div className="dialog-body">
          <h2 id={titleId}>Choose what to share</h2>
          <ul className="sources" role="listbox" aria-labelledby={titleId}>
            {request.sources.map((s) => (
              <li key={s.id} role="option" aria-selected={selected === s.id}>
                <button
                  type="button"
                  className={`source ${selected === s.id ? "source--selected" : ""}`}
                  onClick={() => setChosen({ requestId: request.requestId, sourceId: s.id })}
                  onDoubleClick={() => answer(s.id)}
                >
                  {s.thumbnail ? <img src={s.thumbnail} alt="" /> : <span className="source-blank" aria-hidden="true" />}
                  <span className="source-name">
                    {s.kind === "screen" ? "Screen: " : "Window: "}
                    {s.name}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => answer(null)}>
              Cancel
            </button>
            <button type="button" className="button button--primary" disabled={selected === undefined} onClick={() => selected !== undefined && answer(selected)}>
              Share
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
