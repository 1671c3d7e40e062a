import type { Ingest, SealedBatch } from './ingest.ts';

/**
 * Decides when the filling batch becomes a transaction: at BATCH_SIZE records (or bytes), or
 * BATCH_MAX_MS after its first frame. At most one transaction is in flight; when the next batch is
 * full before it finishes, reading pauses (back-pressure) until it does.
 */
export interface Committer {
  /** Call after every frame the ingest accepted. */
  onAccepted(): void;
  /** Waits for the transaction in flight, then commits whatever is pending. */
  drain(): Promise<void>;
  /** Rejects with the first failed commit; later frames are ignored. */
  readonly failed: Promise<never>;
}

export interface CommitterOptions {
  readonly ingest: Ingest;
  readonly batchMaxMs: number;
  readonly commit: (batch: SealedBatch) => Promise<void>;
  readonly pause: () => void;
  readonly resume: () => void;
}

export function createCommitter(options: CommitterOptions): Committer {
  const { ingest } = options;
  let inFlight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let due = false;
  let failure: unknown;
  const failed = Promise.withResolvers<never>();
  failed.promise.catch(() => undefined);

  const startTimer = () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      due = true;
      flush();
    }, options.batchMaxMs);
  };

  function flush(): void {
    if (failure !== undefined) return;
    if (inFlight) {
      if (ingest.isFull()) options.pause();
      return;
    }
    clearTimeout(timer);
    timer = undefined;
    due = false;
    const sealed = ingest.seal(Date.now());
    if (!sealed) return;
    inFlight = options.commit(sealed).then(afterCommit, (error: unknown) => {
      inFlight = undefined;
      failure = error;
      clearTimeout(timer);
      failed.reject(error);
    });
  }

  function afterCommit(): void {
    inFlight = undefined;
    if (ingest.isFull() || due) flush();
    else if (ingest.hasPending()) startTimer();
    if (!ingest.isFull()) options.resume();
  }

  return {
    onAccepted() {
      if (failure !== undefined) return;
      if (ingest.isFull()) flush();
      else startTimer();
    },
    async drain() {
      while (inFlight) await inFlight;
      if (failure !== undefined) throw failure;
      clearTimeout(timer);
      timer = undefined;
      const sealed = ingest.seal(Date.now());
      if (sealed) await options.commit(sealed);
    },
    failed: failed.promise,
  };
}
