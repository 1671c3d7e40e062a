import { setTimeout as sleep } from 'node:timers/promises';
import type { ReindexStore, ShardCheckpoint } from './store.ts';

/**
 * The block that freezes the version being replaced for its last catch-up. The flood-stage block,
 * of all the engine's blocks, is the one a writer is told to retry (429, where a write block says 403
 * and the indexer would dead-letter the event): the indexer backs off and writes again, and after
 * the swap its writes reach the new version through the day's name.
 */
export const FREEZE_SETTING = 'index.blocks.read_only_allow_delete';

export async function freeze(store: ReindexStore, index: string): Promise<void> {
  await store.putSettings(index, { [FREEZE_SETTING]: true });
}

export async function unfreeze(store: ReindexStore, index: string): Promise<void> {
  await store.putSettings(index, { [FREEZE_SETTING]: null });
}

export async function isFrozen(store: ReindexStore, index: string): Promise<boolean> {
  return String((await store.settings(index))[FREEZE_SETTING]) === 'true';
}

/** Pure: every shard has finished every write it numbered, and runs none. */
export function settled(checkpoints: readonly ShardCheckpoint[]): boolean {
  return checkpoints.every((shard) => shard.localCheckpoint === shard.maxSeqNo && shard.writesInFlight === 0);
}

/** Pure: the highest sequence number of each shard, by shard number. */
export function maxSeqNos(checkpoints: readonly ShardCheckpoint[]): number[] {
  const values: number[] = [];
  for (const shard of checkpoints) values[shard.shard] = shard.maxSeqNo;
  return values;
}

/** Pure: each shard's local checkpoint, by shard number (the next catch-up starts above it). */
export function localCheckpoints(checkpoints: readonly ShardCheckpoint[]): number[] {
  const values: number[] = [];
  for (const shard of checkpoints) values[shard.shard] = shard.localCheckpoint;
  return values;
}

/**
 * Waits until a frozen index has finished the writes that were under way when the block came: every
 * shard settled, and still settled with the same sequence numbers `quietMs` later (a write that had
 * passed the block check then would show). Returns the settled checkpoints.
 */
export async function drain(
  store: ReindexStore,
  index: string,
  options: { quietMs: number; pollMs: number; timeoutMs: number },
): Promise<ShardCheckpoint[]> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const first = await store.checkpoints(index);
    if (settled(first)) {
      await sleep(options.quietMs);
      const again = await store.checkpoints(index);
      if (settled(again) && maxSeqNos(again).join() === maxSeqNos(first).join()) return again;
    }
    if (Date.now() > deadline)
      throw new Error(`${index} still has writes under way after ${options.timeoutMs} ms`);
    await sleep(options.pollMs);
  }
}
