/**
 * A first-in-first-out queue that never holds more than `capacity` items: pushing into a full
 * queue drops the oldest and counts it. The live feed uses it so that a hidden tab or a paused
 * feed keeps a flat memory footprint however long it stays open.
 */
export class BoundedQueue<T> {
  readonly #capacity: number;
  #items: T[] = [];
  #dropped = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#items.length;
  }

  /** Items dropped since the last `takeDropped()`. */
  get dropped(): number {
    return this.#dropped;
  }

  push(item: T): void {
    this.#items.push(item);
    if (this.#items.length > this.#capacity) {
      this.#items.splice(0, this.#items.length - this.#capacity);
      this.#dropped += 1;
    }
  }

  /** Everything queued, oldest first; the queue is empty afterwards. */
  drain(): T[] {
    const items = this.#items;
    this.#items = [];
    return items;
  }

  takeDropped(): number {
    const dropped = this.#dropped;
    this.#dropped = 0;
    return dropped;
  }

  clear(): void {
    this.#items = [];
    this.#dropped = 0;
  }
}
