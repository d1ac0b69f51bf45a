/**
 * Event delivery to the one attached UI, with a ready queue (Electron Fiddle's pattern, STYLE.md §9):
 * the room emits before React has mounted, so events wait until the renderer says `rendererReady`.
 *
 * A UI that attaches later (a reload, a second browser tab) starts from a snapshot of the current state
 * instead of the history it missed, so what it shows never depends on when it connected.
 */
import type { EventMessage } from "../../shared/ipc.ts";

/** Delivers one event to a UI (webContents.send, a WebSocket). */
export type EventSink = (ev: EventMessage) => void;

/** Most events held for a UI that has not said ready; past this the UI gets a fresh snapshot instead. */
export const MAX_QUEUED_EVENTS = 2_000;

/** The queue between the app service and its UI. */
export class EventOutbox {
  readonly #snapshot: () => EventMessage[];
  #sink: EventSink | undefined;
  #ready = false;
  #queue: EventMessage[] = [];
  #overflowed = false;

  /** `snapshot` describes the current state as events, for a UI attaching mid-session. */
  constructor(snapshot: () => EventMessage[]) {
    this.#snapshot = snapshot;
  }

  /** Send now if the UI is ready, else queue. */
  emit(ev: EventMessage): void {
    if (this.#ready && this.#sink !== undefined) {
      this.#sink(ev);
      return;
    }
    if (this.#queue.length >= MAX_QUEUED_EVENTS) {
      this.#overflowed = true;
      this.#queue = [];
    }
    if (!this.#overflowed) this.#queue.push(ev);
  }

  /** A new UI: it receives the current state once it is ready; the previous UI receives nothing more. */
  attach(sink: EventSink): () => void {
    this.#sink = sink;
    this.#ready = false;
    this.#queue = this.#snapshot();
    this.#overflowed = false;
    return () => {
      if (this.#sink !== sink) return;
      this.#sink = undefined;
      this.#ready = false;
      this.#queue = [];
    };
  }

  /** The attached UI is subscribed: deliver what waited, then go live. */
  ready(): void {
    const sink = this.#sink;
    if (sink === undefined) return;
    const queued = this.#overflowed ? this.#snapshot() : this.#queue;
    this.#queue = [];
    this.#overflowed = false;
    this.#ready = true;
    for (const ev of queued) sink(ev);
  }

  /** Whether a UI is attached and ready. */
  get live(): boolean {
    return this.#ready && this.#sink !== undefined;
  }
}
