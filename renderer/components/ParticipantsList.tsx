/** Who is in the room, us first; joins and leaves are announced to screen readers. */
import { useId, type ReactNode } from "react";
import { useApp } from "../context.tsx";
import { noticeText } from "../store/chat/selectors.ts";
import { linkText, selectLatestNotice, selectParticipantViews } from "../store/room/selectors.ts";

/** The participants panel. */
export function ParticipantsList(): ReactNode {
  const people = useApp(selectParticipantViews);
  const latest = useApp(selectLatestNotice);
  const links = useApp((s) => s.links);
  const titleId = useId();
  return (
    <section className="panel people" aria-labelledby={titleId}>
      <h2 id={titleId} className="panel-title">
        People <span className="count">{people.length}</span>
      </h2>
      <ul className="people-list" data-testid="participants">
        {people.map((p) => (
          <li key={p.peerId || "self"} className="person" data-peer-id={p.peerId}>
            <span className="avatar" aria-hidden="true">
              {p.initials}
            </span>
            <span className="person-name">{p.name}</span>
            {p.self && <span className="person-you">(you)</span>}
            {!p.self && linkText(links[p.peerId]) !== "" && (
              <span className={`person-link person-link--${links[p.peerId]?.state ?? ""}`} data-testid="person-link">
                {linkText(links[p.peerId])}
              </span>
            )}
          </li>
        ))}
      </ul>
      <p className="sr-only" aria-live="polite" data-testid="presence-announcement">
        {latest === undefined ? "" : noticeText(latest)}
      </p>
    </section>
  );
}
