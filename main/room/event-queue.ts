/**
 * An unbounded event queue with a single consumer.
 *
 * Unlike iroh-live's bounded channel of 16, a slow consumer never stalls the room actor (gossip handling,
 * publishing and chat keep running); room events are few and small, so memory is not a concern.
 */
export class EventQueue<T> {
  readonly #items: T[] = [];
  #waiter: ((v: T | undefined) => void) | undefined;
  #closed = false;

  /** Append an event; ignored after {@link close}. */
  push(item: T): void {
    if (this.#closed) return;
    const w = this.#waiter;
    if (w !== undefined) {
      this.#waiter = undefined;
      w(item);
    } else {
      this.#items.push(item);
    }
  }

  /** The next event, or undefined once the queue is closed and drained. */
  next(): Promise<T | undefined> {
    if (this.#items.length > 0) return Promise.resolve(this.#items.shift());
    if (this.#closed) return Promise.resolve(undefined);
    if (this.#waiter !== undefined) throw new Error("EventQueue has a single consumer");
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  /** The next event if one is already queued. */
  tryNext(): T | undefined {
    return this.#items.shift();
  }

  /** End the queue: queued events can still be read, then {@link next} yields undefined. */
  close(): void {
    this.#closed = true;
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.(undefined);
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      const item = await this.next();
      if (item === undefined) return;
      yield item;
    }
  }
}
