/** On-demand encoding: work runs only while a track has subscribers. */
import type * as Moq from "@moq/net";

/** Something that can be started and stopped. */
export interface Startable {
  start(): void;
  stop(): void;
}

/**
 * Start `work` while `track` has at least one subscriber and stop it when the last one leaves.
 * Returns a disposer that stops watching (and stops the work).
 */
export function whileUsed(track: Moq.Track.Producer, work: Startable): () => void {
  let running = false;
  const apply = (used: boolean): void => {
    if (used === running) return;
    running = used;
    if (used) work.start();
    else work.stop();
  };
  const unsubscribe = track.used.subscribe(apply);
  apply(track.used.peek());
  return () => {
    unsubscribe();
    apply(false);
  };
}
