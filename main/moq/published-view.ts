/**
 * One session's view of a broadcast we publish. @moq/net has no "unpublish" on a connection: a path
 * leaves the announce set only when the published producer closes. So each session gets its own view
 * that serves the app's producer (subscriptions, track info, fetches are delegated) but can be closed on
 * its own, which unannounces the path on that session without touching the app's producer. Closing the
 * view also ends the track subscriptions it served, so the peer sees the tracks end, not just the
 * announcement.
 */
import * as Moq from "@moq/net";

/** A closable per-session stand-in for an app broadcast. */
export class PublishedView extends Moq.Broadcast.Producer {
  readonly #source: Moq.Broadcast.Producer;
  readonly #served = new Set<Moq.Track.Subscriber>();
  readonly #onServedChange: (count: number) => void;

  /** `onServedChange` hears how many track subscriptions the peer holds through this view. */
  constructor(source: Moq.Broadcast.Producer, onServedChange: (count: number) => void) {
    super();
    this.#source = source;
    this.#onServedChange = onServedChange;
    void source.closed.then(() => this.close());
  }

  /** Track subscriptions the peer currently holds through this view. */
  get served(): number {
    return this.#served.size;
  }

  override subscribe(name: string, options?: Moq.Track.Subscription): Moq.Track.Subscriber {
    if (this.closed.peek() !== undefined) throw new Error("broadcast is closed");
    const sub = this.#source.subscribe(name, options);
    this.#served.add(sub);
    this.#onServedChange(this.#served.size);
    void sub.closed.then(() => {
      if (this.#served.delete(sub)) this.#onServedChange(this.#served.size);
    });
    return sub;
  }

  override resolveTrackInfo(name: string): Promise<Moq.Track.Info> {
    return this.#source.resolveTrackInfo(name);
  }

  override fetchGroup(name: string, sequence: number, options?: Moq.Track.FetchGroupOptions): Promise<Moq.Group.Consumer> {
    return this.#source.fetchGroup(name, sequence, options);
  }

  override close(abort?: Error): void {
    super.close(abort);
    for (const sub of [...this.#served]) sub.close();
  }
}
