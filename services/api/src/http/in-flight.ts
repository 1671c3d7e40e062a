/**
 * A bound on work running at once. What is beyond it is refused at once rather than queued: a
 * queue would only hide the overload behind growing latency and memory, while a refusal with
 * Retry-After tells the client to come back.
 */
export interface InFlightLimit {
  /** Takes a slot and returns its release (idempotent), or throws `refuse()` when every slot is taken. */
  acquire(): () => void;
  /** Runs `work` in a slot, or throws `refuse()` at once. */
  run<T>(work: () => Promise<T>): Promise<T>;
  inFlight(): number;
}

export function createInFlightLimit(max: number, refuse: () => Error): InFlightLimit {
  let running = 0;
  const acquire = () => {
    if (running >= max) throw refuse();
    running += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      running -= 1;
    };
  };
  return {
    acquire,
    async run(work) {
      const release = acquire();
      try {
        return await work();
      } finally {
        release();
      }
    },
    inFlight: () => running,
  };
}

/** The bounds on Elasticsearch work one api instance runs at once. */
export interface WorkLimits {
  /** Search pages, stats, trending and pipeline reports. */
  readonly queries: InFlightLimit;
  /** ndjson/csv exports, each for as long as it streams. */
  readonly exports: InFlightLimit;
}
