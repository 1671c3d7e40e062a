/** How a chunk ended: every message handled, or only the first ones (`resume` is the first that is not). */
export type ChunkEnd = { readonly kind: 'done' } | { readonly kind: 'stopped'; readonly resume: string };

/** What finishing a chunk allows: an offset to commit, and where to read a partition again from. */
export interface LedgerStep {
  /** Next offset to read, every message before it handled: commit it. */
  readonly commit?: string;
  /** The first offset that is not handled: nothing past it may be committed until it is read again. */
  readonly rewind?: string;
}

interface Entry {
  readonly id: number;
  /** Its first message's offset. */
  readonly first: string;
  /** The offset this chunk lets the partition commit once it and everything before it are handled. */
  readonly commit: string;
  end?: ChunkEnd;
}

/**
 * Pure bookkeeping of the chunks in flight, per partition in the order they were fetched. Chunks
 * finish in any order, but a commit only moves over a leading run of finished ones, so a chunk that
 * is quick never commits past one still running. A chunk that stopped part-way commits what it
 * handled and asks for the partition to be read again from its first unhandled message, once
 * everything before it is handled; the chunks after it are dropped (their work is done again), and
 * no chunk of that partition is accepted until one starts exactly there.
 */
export function createCommitLedger() {
  const partitions = new Map<number, Entry[]>();
  /** Partitions being read again: the first chunk accepted must start exactly there. */
  const rereading = new Map<number, string>();
  let nextId = 0;
  const queue = (partition: number) => {
    let entries = partitions.get(partition);
    if (entries === undefined) {
      entries = [];
      partitions.set(partition, entries);
    }
    return entries;
  };
  const settle = (partition: number): LedgerStep => {
    const entries = queue(partition);
    let commit: string | undefined;
    while (entries[0]?.end?.kind === 'done') commit = (entries.shift() as Entry).commit;
    const head = entries[0];
    if (head?.end?.kind !== 'stopped') return commit === undefined ? {} : { commit };
    const rewind = head.end.resume;
    partitions.delete(partition);
    rereading.set(partition, rewind);
    // What the stopped chunk handled before its first unhandled message is committed with it; when
    // it handled nothing, the chunks before it already gave that commit point.
    if (rewind !== head.first) commit = rewind;
    return commit === undefined ? { rewind } : { commit, rewind };
  };
  return {
    /**
     * Registers a chunk (in fetch order within its partition) and returns its id, or undefined when
     * the partition is to be read again from elsewhere: then the chunk must not be handled at all.
     */
    add(partition: number, first: string, commit: string): number | undefined {
      const from = rereading.get(partition);
      if (from !== undefined && from !== first) return undefined;
      rereading.delete(partition);
      const id = nextId++;
      queue(partition).push({ id, first, commit });
      return id;
    },
    /** A chunk with nothing to do (transaction markers only), committed in turn. */
    skip(partition: number, commit: string): LedgerStep {
      if (rereading.has(partition)) return {};
      queue(partition).push({ id: nextId++, first: commit, commit, end: { kind: 'done' } });
      return settle(partition);
    },
    /** Unknown ids (dropped by a rewind or a reset) change nothing. */
    finish(partition: number, id: number, end: ChunkEnd): LedgerStep {
      const entry = partitions.get(partition)?.find((candidate) => candidate.id === id);
      if (entry === undefined) return {};
      entry.end = end;
      return settle(partition);
    },
    /** False once the chunk was dropped: its result no longer counts. */
    holds(partition: number, id: number): boolean {
      return partitions.get(partition)?.some((entry) => entry.id === id) ?? false;
    },
    /** A new group generation: nothing registered before counts any more. */
    reset(): void {
      partitions.clear();
      rereading.clear();
    },
  };
}

export type CommitLedger = ReturnType<typeof createCommitLedger>;
