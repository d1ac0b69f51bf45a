/** The stage: one tile per participant broadcast, sized so any count fills the space evenly. */
import type { ReactNode } from "react";
import { useApp } from "../context.tsx";
import { selectTiles, type TileView } from "../store/media/selectors.ts";

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

function Tile({ tile }: { tile: TileView }): ReactNode {
  const label = `${tile.name}${tile.self ? " (you)" : ""}`;
  return (
    <li
      className={`tile ${tile.self ? "tile--self" : ""}`}
      aria-label={tile.broadcast === undefined ? label : `${label}, ${tile.broadcast}${tile.live ? "" : ", connecting"}`}
      data-testid="tile"
      data-live={tile.live}
    >
      {/* Video fills in with the media plane; until then, and whenever there is no video, the initials show. */}
      <div className="tile-placeholder" aria-hidden="true">
        <span className="tile-initials">{tile.initials}</span>
      </div>
      <p className="tile-name" aria-hidden="true">
        <span className="tile-name-text">{tile.name}</span>
        {tile.self && <span className="tile-you">you</span>}
        {tile.broadcast !== undefined && (
          <span className={`tile-broadcast ${tile.live ? "tile-broadcast--live" : ""}`}>{tile.broadcast}</span>
        )}
      </p>
    </li>
  );
}
