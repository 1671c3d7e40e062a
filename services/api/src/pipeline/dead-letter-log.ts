import {
  type DeadLetterEntry,
  type DeadLetterList,
  decodeGap,
  fromDeadLetterMessage,
  type GapRecord,
} from '@wikistream/shared';
import type { KafkaRecord } from '../kafka/kafka-types.ts';
import { LIMITS } from '../limits.ts';

/**
 * What the api knows of the DLQ and the gap ledger, read by the shared consumer from the start of
 * both topics: counts by reason over everything retained, the most recent entries, and the gaps.
 * Memory stays bounded (counts, a fixed ring, a capped gap list). Redelivered records (after a
 * rebalance) are recognised by offset and never counted twice.
 */
export interface DeadLetterLog {
  addDeadLetters(records: readonly KafkaRecord[]): void;
  addGaps(records: readonly KafkaRecord[]): void;
  list(reason: string | undefined, limit: number): DeadLetterList;
  summary(): { total: number; byReason: { key: string; count: number }[] };
  gaps(): GapRecord[];
  reset(): void;
}

function preview(value: Buffer | null): string {
  return (value ?? Buffer.alloc(0))
    .subarray(0, LIMITS.deadLetterPreviewBytes)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
}

export function toEntry(record: KafkaRecord): DeadLetterEntry | undefined {
  const letter = fromDeadLetterMessage(record);
  if (!letter) return undefined;
  return {
    partition: record.partition,
    offset: record.offset,
    reason: letter.reason,
    detail: letter.detail,
    stage: letter.stage,
    failedAt:
      Number.isFinite(letter.failedAt) && letter.failedAt > 0 ? new Date(letter.failedAt).toISOString() : '',
    sourceTopic: letter.sourceTopic ?? null,
    sourcePartition: Number.isSafeInteger(letter.sourcePartition) ? (letter.sourcePartition as number) : null,
    sourceOffset: letter.sourceOffset ?? null,
    preview: preview(record.value),
    size: record.value?.byteLength ?? 0,
  };
}

export function createDeadLetterLog(): DeadLetterLog {
  let byReason = new Map<string, number>();
  let recent: DeadLetterEntry[] = [];
  let gapList: GapRecord[] = [];
  let seen = new Map<string, bigint>();

  const fresh = (record: KafkaRecord): boolean => {
    const key = `${record.topic}\u0000${record.partition}`;
    const offset = BigInt(record.offset);
    const last = seen.get(key);
    if (last !== undefined && offset <= last) return false;
    seen.set(key, offset);
    return true;
  };

  return {
    addDeadLetters(records) {
      for (const record of records) {
        if (!fresh(record)) continue;
        const entry = toEntry(record);
        if (!entry) continue;
        byReason.set(entry.reason, (byReason.get(entry.reason) ?? 0) + 1);
        recent.push(entry);
        if (recent.length > LIMITS.deadLetterEntries) recent.shift();
      }
    },
    addGaps(records) {
      for (const record of records) {
        if (!fresh(record)) continue;
        const gap = decodeGap(record.value);
        if (!gap) continue;
        gapList.push(gap);
        if (gapList.length > LIMITS.gapRecords) gapList.shift();
      }
    },
    list(reason, limit) {
      const summary = this.summary();
      const entries = recent.filter((entry) => reason === undefined || entry.reason === reason);
      return { ...summary, entries: entries.slice(-limit).reverse() };
    },
    summary() {
      const list = [...byReason].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count);
      return { total: list.reduce((sum, { count }) => sum + count, 0), byReason: list };
    },
    gaps: () => [...gapList],
    reset() {
      byReason = new Map();
      recent = [];
      gapList = [];
      seen = new Map();
    },
  };
}
