/** Small line icons drawn inline (no icon font: emoji are missing on many Linux desktops). Decorative: labels carry the meaning. */
import type { ReactNode } from "react";

const PATHS = {
  mic: "M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM5 11a7 7 0 0 0 14 0M12 18v3",
  micOff: "M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM5 11a7 7 0 0 0 14 0M12 18v3M4 4l16 16",
  camera: "M3 7h12v10H3zM15 10l6-3v10l-6-3",
  cameraOff: "M3 7h12v10H3zM15 10l6-3v10l-6-3M3 4l17 16",
  screen: "M3 4h18v12H3zM8 20h8M12 16v4",
} as const;

/** One icon by name. */
export function Icon({ name }: { name: keyof typeof PATHS }): ReactNode {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d={PATHS[name]} />
    </svg>
  );
}
