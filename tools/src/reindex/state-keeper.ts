import type { Logger } from '@wikistream/shared';
import { type RunState, STATE_ID, stateIndex } from './run-state.ts';
import type { ReindexStore, Versioned } from './store.ts';

/**
 * Saves the run's state to Elasticsearch, one write at a time, each conditional on the version
 * this process wrote last: should another process take the run over, the next save fails
 * (`reindex_in_progress`) instead of both going on. The owner's heartbeat goes with every save, and
 * on a timer while a long step writes nothing.
 */
export interface StateKeeper {
  readonly run: RunState;
  save(): Promise<void>;
  /** Saves if the last save is older than the interval (progress within a step). */
  saveSoon(): Promise<void>;
  startHeartbeat(): void;
  /** Stops the heartbeat and gives the run up (owner none), so a restart takes it over at once. */
  release(): Promise<void>;
}

export async function createStateKeeper(options: {
  store: ReindexStore;
  run: RunState;
  /** The stored version to replace; 'absent' for a new state document. */
  version: Versioned<RunState> | 'absent';
  clock: () => number;
  saveIntervalMs: number;
  heartbeatMs: number;
  logger: Logger;
}): Promise<StateKeeper> {
  const { store, run, clock } = options;
  const index = stateIndex(run.prefix);
  // The state's fields are never searched: kept in _source only, whatever their names.
  await store.createIndex(index, { number_of_shards: 1, number_of_replicas: 0 }, { dynamic: false });
  let expected: { seqNo: number; primaryTerm: number } | 'absent' =
    options.version === 'absent' ? 'absent' : options.version;
  let chain: Promise<void> = Promise.resolve();
  let savedAt = 0;
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    // Each save waits for the one before; its own failure is its caller's, not the next save's.
    chain = chain
      .catch(() => undefined)
      .then(async () => {
        const now = new Date(clock()).toISOString();
        run.updatedAt = now;
        if (run.owner) run.owner.heartbeatAt = now;
        const written = await store.putDocument(index, STATE_ID, run, expected);
        expected = { seqNo: written.seqNo, primaryTerm: written.primaryTerm };
        savedAt = clock();
      });
    return chain;
  };
  return {
    run,
    save,
    saveSoon: () => (clock() - savedAt >= options.saveIntervalMs ? save() : Promise.resolve()),
    startHeartbeat() {
      timer = setInterval(() => {
        save().catch((error: unknown) => options.logger.warn({ err: error }, 'cannot save the heartbeat'));
      }, options.heartbeatMs);
      timer.unref();
    },
    async release() {
      clearInterval(timer);
      run.owner = null;
      await save();
    },
  };
}
