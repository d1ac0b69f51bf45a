/**
 * Which video rendition to watch: the smallest one that covers the tile, capped one step lower
 * each time playback falls behind, with hysteresis so a brief hiccup does not flap between tracks.
 */
import type { VideoConfig } from "../../../shared/media/catalog.ts";

/** A rendition by track name. */
export interface Rendition {
  name: string;
  config: VideoConfig;
}

/** Pixels of a rendition; a catalog without sizes ranks by bitrate instead (both only order renditions). */
function size(r: Rendition): number {
  const { codedWidth: w, codedHeight: h, bitrate } = r.config;
  return w !== undefined && h !== undefined ? w * h : (bitrate ?? 0) / 1e6;
}

/** Renditions from smallest to largest (name breaks ties, so the order is stable). */
export function rankRenditions(renditions: readonly Rendition[]): Rendition[] {
  return [...renditions].sort((a, b) => size(a) - size(b) || a.name.localeCompare(b.name));
}

/**
 * The rendition for a tile of `width`×`height` device pixels: the smallest that is at least as large in
 * both dimensions, else the largest. `cap` (an index into the ranked list) limits how high it may go.
 */
export function chooseRendition(renditions: readonly Rendition[], width: number, height: number, cap = Infinity): Rendition | undefined {
  const ranked = rankRenditions(renditions);
  if (ranked.length === 0) return undefined;
  const allowed = ranked.slice(0, Math.max(1, Math.min(ranked.length, cap + 1)));
  const fits = allowed.find((r) => (r.config.codedWidth ?? 0) >= width && (r.config.codedHeight ?? 0) >= height);
  return fits ?? allowed[allowed.length - 1];
}

/** Tuning of {@link RenditionGovernor}. */
export interface GovernorProps {
  /** Late events within `windowMs` that lower the cap. */
  lateEvents: number;
  windowMs: number;
  /** Quiet time before the cap is raised again; doubles after every lowering that follows a raise. */
  recoverMs: number;
  /** Upper bound of the growing quiet time. */
  maxRecoverMs: number;
}

const DEFAULT_GOVERNOR: GovernorProps = { lateEvents: 3, windowMs: 4_000, recoverMs: 8_000, maxRecoverMs: 60_000 };

/**
 * Tracks "playback fell behind" events and turns them into a cap on the ranked rendition index.
 * Lower after `lateEvents` within `windowMs`; raise one step after `recoverMs` without any, and make
 * the next raise wait longer if lowering happens again (so a link that cannot carry HD stops retrying).
 */
export class RenditionGovernor {
  readonly #props: GovernorProps;
  #events: number[] = [];
  #cap = Infinity;
  #recoverMs: number;
  #lastChange = 0;
  #raised = false;

  constructor(props: Partial<GovernorProps> = {}) {
    this.#props = { ...DEFAULT_GOVERNOR, ...props };
    this.#recoverMs = this.#props.recoverMs;
  }

  /** The current cap (an index into {@link rankRenditions}), Infinity when uncapped. */
  get cap(): number {
    return this.#cap;
  }

  /**
   * Note that playback fell behind while watching ranked index `current`. Returns true when the cap
   * dropped (the caller should re-choose).
   */
  late(nowMs: number, current: number): boolean {
    this.#events = this.#events.filter((t) => nowMs - t < this.#props.windowMs);
    this.#events.push(nowMs);
    if (this.#events.length < this.#props.lateEvents || current <= 0) return false;
    this.#events = [];
    this.#cap = current - 1;
    if (this.#raised) this.#recoverMs = Math.min(this.#recoverMs * 2, this.#props.maxRecoverMs);
    this.#raised = false;
    this.#lastChange = nowMs;
    return true;
  }

  /** Call now and then; returns true when the cap rose one step (the caller should re-choose). */
  tick(nowMs: number, renditionCount: number): boolean {
    if (this.#cap === Infinity) return false;
    if (nowMs - this.#lastChange < this.#recoverMs) return false;
    if (this.#events.some((t) => nowMs - t < this.#recoverMs)) return false;
    this.#cap = this.#cap + 1 >= renditionCount - 1 ? Infinity : this.#cap + 1;
    this.#raised = true;
    this.#lastChange = nowMs;
    return true;
  }
}
