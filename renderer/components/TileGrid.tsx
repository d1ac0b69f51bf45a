/**
 * The stage: one tile per participant broadcast, sized so any count fills the space evenly; a screen share
 * takes a larger tile. Each tile shows its video (or initials while there is none), the name, a muted mark
 * and a speaking ring.
 */
import { useCallback, useRef, useState, type ReactNode } from "react";
import { useApp } from "../context.tsx";
import { selectTiles, type TileView } from "../store/media/selectors.ts";
import { Icon } from "./Icon.tsx";
import { RemoteMedia, SelfMedia, type MediaFacts } from "./TileMedia.tsx";

/** The tile grid. */
export function TileGrid(): ReactNode {
  const tiles = useApp(selectTiles);
  return (
    <ul className="tiles" data-count={Math.min(tiles.length, 12)} aria-label="Participants' video">
      {tiles.map((t) => (
        <Tile key={t.key} tile={t} />
      ))}
    </ul>
  );
}

const NO_FACTS: MediaFacts = { video: false, muted: false, speaking: false, note: undefined };
const sameFacts = (a: MediaFacts, b: MediaFacts): boolean => a.video === b.video && a.muted === b.muted && a.speaking === b.speaking && a.note === b.note;

function Tile({ tile }: { tile: TileView }): ReactNode {
  const ref = useRef<HTMLLIElement>(null);
  const [facts, setFacts] = useState<MediaFacts>(NO_FACTS);
  const onFacts = useCallback((f: MediaFacts) => setFacts((prev) => (sameFacts(prev, f) ? prev : f)), []);
  const screen = tile.broadcast === "screen";
  const label = `${tile.name}${tile.self ? " (you)" : ""}`;
  const described = [
    tile.broadcast,
    tile.broadcast !== undefined && !tile.live ? "connecting" : undefined,
    facts.muted ? "muted" : undefined,
    facts.speaking ? "speaking" : undefined,
  ].filter((x) => x !== undefined);
  return (
    <li
      ref={ref}
      className={`tile ${tile.self ? "tile--self" : ""} ${screen ? "tile--screen" : ""} ${facts.speaking ? "tile--speaking" : ""}`}
      aria-label={described.length === 0 ? label : `${label}, ${described.join(", ")}`}
      data-testid="tile"
      data-peer={tile.peerId}
      data-broadcast={tile.broadcast ?? ""}
      data-live={tile.live}
      data-video={facts.video}
      data-muted={facts.muted}
    >
      {/* Initials show whenever there is no video: before it arrives, with the camera off, or no broadcast at all. */}
      <div className="tile-placeholder" aria-hidden="true">
        <span className="tile-initials">{tile.initials}</span>
      </div>
      {tile.broadcast !== undefined &&
        (tile.self ? (
          <SelfMedia name={tile.broadcast} onFacts={onFacts} />
        ) : (
          tile.live && <RemoteMedia peerId={tile.peerId} name={tile.broadcast} tile={ref} onFacts={onFacts} />
        ))}
      {facts.note !== undefined && <p className="tile-note">{facts.note}</p>}
      <p className="tile-name" aria-hidden="true">
        {facts.muted && (
          <span className="tile-muted" data-testid="tile-muted" title="Microphone off">
            <Icon name="micOff" />
          </span>
        )}
        <span className="tile-name-text">{tile.name}</span>
        {tile.self && <span className="tile-you">you</span>}
        {tile.broadcast !== undefined && <span className={`tile-broadcast ${tile.live ? "tile-broadcast--live" : ""}`}>{tile.broadcast}</span>}
      </p>
    </li>
  );
}
