/**
 * Events per second over a sliding window of whole seconds, in constant memory: one counter
 * per second of the window, reused as time moves on.
 */
export class RateMeter {
  readonly #buckets: number[];
  #second: number;

  constructor(windowSeconds: number, nowMs: number) {
    this.#buckets = new Array<number>(windowSeconds).fill(0);
    this.#second = Math.floor(nowMs / 1000);
  }

  #advance(nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    const steps = Math.min(second - this.#second, this.#buckets.length);
    for (let i = 1; i <= steps; i += 1) this.#buckets[(this.#second + i) % this.#buckets.length] = 0;
    if (second > this.#second) this.#second = second;
  }

  record(nowMs: number, count = 1): void {
    this.#advance(nowMs);
    const index = this.#second % this.#buckets.length;
    this.#buckets[index] = (this.#buckets[index] ?? 0) + count;
  }

  perSecond(nowMs: number): number {
    this.#advance(nowMs);
    return this.#buckets.reduce((sum, n) => sum + n, 0) / this.#buckets.length;
  }
}
