import { DRIFT_SCHEMA_LABELS } from '@wikistream/shared';

const MINUTE_MS = 60_000;

/**
 * What one indexer keeps in memory for schema drift. A stream of random field names or schema
 * versions fills the caps and is counted under `other`; it grows neither memory nor the store.
 */
export const DRIFT_LIMITS = {
  /** Distinct unknown field names per schema and minute; further names count as other fields. */
  fieldsPerSchema: 100,
  /** Distinct schema versions per minute; further versions count as `(other)`. */
  schemasPerMinute: 10,
  /** Longer field names count as other fields, longer schema names as `(other)`. */
  nameLength: 100,
  /** Minutes kept while flushes fail; past it the oldest is dropped (and reported). */
  pendingMinutes: 30,
} as const;
export type DriftLimits = { readonly [K in keyof typeof DRIFT_LIMITS]: number };

export interface FieldCount {
  readonly name: string;
  readonly count: number;
  /** The first time (ms) this indexer counted it in the minute. */
  readonly firstSeen: number;
}

export interface SchemaCount {
  readonly schema: string;
  readonly events: number;
  readonly fields: readonly FieldCount[];
  /** Occurrences of unknown fields past the cap of names (or too long to keep). */
  readonly otherFields: number;
}

export interface MinuteCount {
  /** Start of the minute, ms since epoch. */
  readonly start: number;
  readonly schemas: readonly SchemaCount[];
  readonly version: number;
}

/** A copy of every minute counted since its last flush: later counts do not change it. */
export interface DriftSnapshot {
  readonly minutes: readonly MinuteCount[];
  /** The start of the minute the snapshot was taken in: the minutes before it are complete. */
  readonly closedBefore: number;
}

export interface DriftCounter {
  /** Counts one event; `at` is when it was handled (ms). */
  record(schema: string | undefined, unknown: readonly string[] | undefined, at: number): void;
  /** The minutes counted since they were last flushed (cumulative counts: a flush overwrites). */
  snapshot(now: number): DriftSnapshot;
  /** The snapshot is stored: its complete minutes are forgotten, and nothing is counted into them again. */
  acknowledge(snapshot: DriftSnapshot): void;
  /** Events of minutes dropped for the pending cap since the last call. */
  takeDropped(): number;
  /** Minutes held, and field names held over all of them (to check the bounds). */
  size(): { minutes: number; fields: number };
}

interface Tally {
  events: number;
  otherFields: number;
  readonly fields: Map<string, { count: number; firstSeen: number }>;
}

interface Minute {
  readonly start: number;
  readonly schemas: Map<string, Tally>;
  version: number;
  flushed: number;
}

const newTally = (): Tally => ({ events: 0, otherFields: 0, fields: new Map() });

/**
 * Pure (no I/O, no clock of its own): schema drift counters per minute, schema version and unknown
 * field, bounded by `limits`. Every event increments a counter or two; the minute and schema of the
 * previous event are remembered, so the usual event costs no map lookup at all.
 */
export function createDriftCounter(limits: DriftLimits = DRIFT_LIMITS): DriftCounter {
  const minutes = new Map<number, Minute>();
  /** Minutes before this one were flushed and forgotten: a late count goes to this one instead. */
  let floor = 0;
  let dropped = 0;
  let last: { start: number; schema: string | undefined; minute: Minute; tally: Tally } | undefined;

  const minuteAt = (start: number): Minute => {
    let minute = minutes.get(start);
    if (minute !== undefined) return minute;
    if (minutes.size >= limits.pendingMinutes) {
      const [oldest] = minutes.values();
      if (oldest !== undefined) {
        for (const tally of oldest.schemas.values()) dropped += tally.events;
        minutes.delete(oldest.start);
      }
    }
    minute = { start, schemas: new Map(), version: 0, flushed: 0 };
    minutes.set(start, minute);
    return minute;
  };

  const tallyOf = (minute: Minute, schema: string | undefined): Tally => {
    let label: string =
      schema === undefined
        ? DRIFT_SCHEMA_LABELS.none
        : schema.length > limits.nameLength
          ? DRIFT_SCHEMA_LABELS.other
          : schema;
    let tally = minute.schemas.get(label);
    if (tally !== undefined) return tally;
    if (minute.schemas.size >= limits.schemasPerMinute) {
      label = DRIFT_SCHEMA_LABELS.other;
      tally = minute.schemas.get(label);
      if (tally !== undefined) return tally;
    }
    tally = newTally();
    minute.schemas.set(label, tally);
    return tally;
  };

  return {
    record(schema, unknown, at) {
      const start = Math.max(at - (at % MINUTE_MS), floor);
      if (last === undefined || last.start !== start || last.schema !== schema) {
        const minute = minuteAt(start);
        last = { start, schema, minute, tally: tallyOf(minute, schema) };
      }
      const { minute, tally } = last;
      minute.version++;
      tally.events++;
      if (unknown === undefined) return;
      for (const name of unknown) {
        const field = tally.fields.get(name);
        if (field !== undefined) field.count++;
        else if (name.length <= limits.nameLength && tally.fields.size < limits.fieldsPerSchema)
          tally.fields.set(name, { count: 1, firstSeen: at });
        else tally.otherFields++;
      }
    },
    snapshot(now) {
      const taken: MinuteCount[] = [];
      for (const minute of minutes.values()) {
        if (minute.version === minute.flushed) continue;
        taken.push({
          start: minute.start,
          version: minute.version,
          schemas: [...minute.schemas].map(([schema, tally]) => ({
            schema,
            events: tally.events,
            otherFields: tally.otherFields,
            fields: [...tally.fields].map(([name, field]) => ({ name, ...field })),
          })),
        });
      }
      return { minutes: taken, closedBefore: now - (now % MINUTE_MS) };
    },
    acknowledge(snapshot) {
      for (const counted of snapshot.minutes) {
        const minute = minutes.get(counted.start);
        if (minute !== undefined && minute.version === counted.version) minute.flushed = counted.version;
      }
      for (const minute of minutes.values()) {
        if (minute.start < snapshot.closedBefore && minute.flushed === minute.version)
          minutes.delete(minute.start);
      }
      floor = Math.max(floor, snapshot.closedBefore);
      last = undefined;
    },
    takeDropped() {
      const events = dropped;
      dropped = 0;
      return events;
    },
    size() {
      let fields = 0;
      for (const minute of minutes.values())
        for (const tally of minute.schemas.values()) fields += tally.fields.size;
      return { minutes: minutes.size, fields };
    },
  };
}
