import { ErrorCode, type IndexDay, WikistreamError } from '@wikistream/shared';
import { type WriteAction, writeAll } from './bulk-writer.ts';
import type { KafkaSource } from './kafka-source.ts';
import type { Progress } from './progress.ts';
import { rederiveRecord } from './rederive.ts';
import type { DayState, KafkaPassState } from './run-state.ts';
import type { StateKeeper } from './state-keeper.ts';
import type { ReindexStore } from './store.ts';
import { DAY, dayStart } from './window.ts';

/**
 * How far from its day an event may sit in the topic: produced up to an hour before its meta.dt
 * (clocks), and up to `lateDays` after (the indexer accepts meta.dt up to EVENT_TIME_MAX_AGE_DAYS,
 * by default RETENTION_DAYS, old). Anything outside shows as a count that differs, and the day is
 * rolled back rather than swapped.
 */
export const EARLY_MS = 3_600_000;

export interface KafkaPlan {
  readonly from: Map<number, bigint>;
  readonly until: Map<number, bigint>;
  readonly records: bigint;
}

/**
 * Pure: the partitions whose reading would start at the oldest record they still hold while older
 * ones were deleted: those may have been of the window. (A partition emptied by retention holds
 * nothing of a window that retention keeps.)
 */
export function truncatedPartitions(
  starts: ReadonlyMap<number, bigint>,
  ranges: ReadonlyMap<number, { low: bigint; high: bigint }>,
): number[] {
  return [...starts]
    .filter(([partition, start]) => {
      const range = ranges.get(partition);
      return range !== undefined && range.low > 0n && start <= range.low && start < range.high;
    })
    .map(([partition]) => partition)
    .sort((a, b) => a - b);
}

/**
 * Where the topic holds the days: from the first record of the first day (less EARLY_MS) to the
 * records of `lateDays` after the last day, or the topic's end. Refuses when records of the window
 * are already gone (the topic's retention), before anything is changed.
 */
export async function planKafka(
  kafka: KafkaSource,
  topic: string,
  days: readonly IndexDay[],
  lateDays: number,
): Promise<KafkaPlan> {
  const first = dayStart(days[0] as IndexDay) - EARLY_MS;
  const [partitions, from, until] = await Promise.all([
    kafka.partitions(topic),
    kafka.offsetsAt(topic, first),
    kafkaEnds(kafka, topic, days, lateDays),
  ]);
  if (partitions.length === 0)
    throw new WikistreamError(ErrorCode.ReindexIncomplete, `the topic ${topic} does not exist or is empty`);
  const ranges = new Map(partitions.map((p) => [p.partition, { low: BigInt(p.low), high: BigInt(p.high) }]));
  const truncated = truncatedPartitions(from, ranges);
  if (truncated.length > 0)
    throw new WikistreamError(
      ErrorCode.ReindexIncomplete,
      `the topic ${topic} no longer holds the records from ${new Date(first).toISOString()} (partitions ${truncated.join(', ')} start later): use --source elasticsearch`,
      { details: { partitions: truncated } },
    );
  let records = 0n;
  for (const [partition, start] of from) records += (until.get(partition) ?? start) - start;
  return { from, until, records };
}

/**
 * Where the pass stops: after the records of `lateDays` past the last day, or at the topic's end.
 * Taken once every day's watermark is (`fixEnds`): a record past these ends reaches the current
 * version through the indexer after the watermark, and so the catch-up.
 */
export function kafkaEnds(
  kafka: KafkaSource,
  topic: string,
  days: readonly IndexDay[],
  lateDays: number,
): Promise<Map<number, bigint>> {
  return kafka.offsetsAt(topic, dayStart(days.at(-1) as IndexDay) + DAY + lateDays * DAY);
}

export async function fixEnds(
  kafka: KafkaSource,
  topic: string,
  pass: KafkaPassState,
  days: readonly IndexDay[],
  lateDays: number,
): Promise<void> {
  if (pass.endsFixed) return;
  const until = await kafkaEnds(kafka, topic, days, lateDays);
  for (const [partition, start] of Object.entries(pass.from))
    pass.until[partition] = (until.get(Number(partition)) ?? BigInt(start)).toString();
  pass.endsFixed = true;
}

export function kafkaPassState(groupId: string, plan: KafkaPlan): KafkaPassState {
  const strings = (map: Map<number, bigint>) =>
    Object.fromEntries([...map].map(([partition, offset]) => [String(partition), offset.toString()]));
  return {
    groupId,
    from: strings(plan.from),
    until: strings(plan.until),
    positions: strings(plan.from),
    endsFixed: false,
    done: false,
    records: 0,
    written: 0,
    skipped: {},
  };
}

const bigints = (record: Record<string, string>) =>
  new Map(Object.entries(record).map(([partition, offset]) => [Number(partition), BigInt(offset)]));

/** Pure: records read so far and in all, from the pass's state. */
export function kafkaProgress(pass: KafkaPassState): { done: number; total: number } {
  let done = 0n;
  let total = 0n;
  for (const [partition, start] of Object.entries(pass.from)) {
    const from = BigInt(start);
    total += BigInt(pass.until[partition] ?? start) - from;
    done += BigInt(pass.positions[partition] ?? start) - from;
  }
  return { done: Number(done), total: Number(total) };
}

/**
 * One pass over the topic for every day at once: each valid event of a day being rebuilt goes to
 * that day's new version, re-derived from its record. Positions are saved after what precedes them
 * was written, so a resumed pass reads on from there (a record read twice is written twice, which
 * is harmless). Returns false when stopped (Ctrl-C).
 */
export async function runKafkaPass(options: {
  kafka: KafkaSource;
  store: ReindexStore;
  topic: string;
  pass: KafkaPassState;
  days: readonly DayState[];
  keeper: StateKeeper;
  progress: Progress;
  signal: AbortSignal;
}): Promise<boolean> {
  const { pass } = options;
  if (pass.done) return true;
  const targets = new Map(options.days.map((day) => [day.day, day]));
  const wanted = new Set(targets.keys());
  const counted = kafkaProgress(pass);
  options.progress.update({
    step: 'reading kafka',
    unit: 'records',
    done: counted.done,
    total: counted.total,
  });
  await options.kafka.read({
    topic: options.topic,
    groupId: pass.groupId,
    from: bigints(pass.positions),
    until: bigints(pass.until),
    signal: options.signal,
    onBatch: async (partition, records, next) => {
      const actions: WriteAction[] = [];
      for (const record of records) {
        const outcome = rederiveRecord(record, wanted);
        if (outcome.kind === 'skip') pass.skipped[outcome.reason] = (pass.skipped[outcome.reason] ?? 0) + 1;
        else {
          const day = targets.get(outcome.day) as DayState;
          actions.push({ index: day.target, id: outcome.id, source: outcome.source });
          day.copied++;
        }
      }
      const rejected = await writeAll(options.store, actions);
      for (const refused of rejected) {
        const day = options.days.find((candidate) => candidate.target === refused.index);
        if (day) day.rejected++;
      }
      pass.records += records.length;
      pass.written += actions.length - rejected.length;
      pass.positions[String(partition)] = next.toString();
      options.progress.update({ done: kafkaProgress(pass).done });
      await options.keeper.saveSoon();
    },
  });
  if (options.signal.aborted) {
    await options.keeper.save();
    return false;
  }
  pass.done = true;
  await options.keeper.save();
  return true;
}
