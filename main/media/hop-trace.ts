/**
 * Where a frame's delay builds up, measured inside the core: for benchmarks only, off unless
 * `ROOMS_MEDIA_TRACE` names a file. Every media frame main relays carries its capture time (wall-clock µs,
 * the legacy container's timestamp), so its age when it passes a hop is `now − timestamp`; all processes of
 * a benchmark share one clock. Ages are appended to the file as JSON lines, once a second, and the
 * benchmark reads them afterwards (bench/app-media.ts).
 */
import { appendFileSync } from "node:fs";
import { decodeLegacyFrame } from "../../shared/media/container.ts";
import { wallClockMicros } from "./time.ts";

/** The hops traced: a frame arriving from this core's UI (sender side), or from a peer (receiver side). */
export type Hop = "ui-in" | "peer-in";

const FILE = process.env.ROOMS_MEDIA_TRACE || undefined;
const pending: { hop: Hop; track: string; at: number; ageMs: number }[] = [];
let timer: NodeJS.Timeout | undefined;
if (FILE !== undefined) process.on("exit", flush);

/** A tracer for frames of `track` passing `hop`, or undefined when tracing is off (the common case). */
export function hopTracer(hop: Hop, track: string): ((frame: Uint8Array) => void) | undefined {
  if (FILE === undefined || track === "catalog.json" || track === "chat") return undefined;
  return (frame) => {
    let ts: number;
    try {
      ts = decodeLegacyFrame(frame).timestampUs;
    } catch {
      return;
    }
    // Only wall-clock stamps (the app's); a test clip's media clock says nothing about delay.
    if (ts < 1e15) return;
    const now = wallClockMicros();
    pending.push({ hop, track, at: Math.round(now / 1000), ageMs: (now - ts) / 1000 });
    timer ??= setTimeout(flush, 1000).unref();
  };
}

function flush(): void {
  timer = undefined;
  if (pending.length === 0 || FILE === undefined) return;
  appendFileSync(FILE, pending.map((p) => JSON.stringify(p)).join("\n") + "\n");
  pending.length = 0;
}
