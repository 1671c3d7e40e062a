import { classifyEvent, DRIFT_SCHEMA_LABELS, type RecentChangeEvent } from '@wikistream/shared';
import { fixtureEvents } from '@wikistream/tools/testing';
import { describe, expect, it } from 'vitest';
import { createDriftCounter, DRIFT_LIMITS, type DriftSnapshot } from '../src/drift-counter.ts';
import { schemaOf, unknownFields } from '../src/drift-scan.ts';

const T0 = Date.parse('2026-02-26T15:49:00.000Z');
const V1 = '/mediawiki/recentchange/1.0.0';
const V2 = '/mediawiki/recentchange/2.0.0';

/** The counts of a snapshot as plain rows, in a stable order. */
function rows(snapshot: DriftSnapshot) {
  return snapshot.minutes.flatMap(({ start, schemas }) =>
    schemas.map(({ schema, events, fields, otherFields }) => ({
      minute: new Date(start).toISOString(),
      schema,
      events,
      otherFields,
      fields: Object.fromEntries(fields.map(({ name, count, firstSeen }) => [name, [count, firstSeen - T0]])),
    })),
  );
}

describe('drift scan', () => {
  it('finds no unknown field in any recorded event, and names their schema', () => {
    const events = fixtureEvents() as unknown as RecentChangeEvent[];
    expect(events.length).toBeGreaterThan(1000);
    expect(events.filter((event) => unknownFields(event) !== undefined)).toEqual([]);
    const schemas = new Set(events.map(schemaOf));
    expect(schemas).toContain(V1);
  });

  it('lists the top-level fields outside the contract, in the event order, and not nested ones', () => {
    const result = classifyEvent(
      JSON.stringify({
        $schema: V2,
        meta: { id: 'a', dt: '2026-02-26T15:49:36Z', brand_new: 1 },
        title: 'T',
        performer: { user_text: 'X' },
        length: { old: 1, new: 2, delta: 1 },
        is_temp: true,
      }),
    );
    if (!result.ok) throw new Error(result.detail);
    expect(unknownFields(result.event)).toEqual(['performer', 'is_temp']);
    expect(schemaOf(result.event)).toBe(V2);
  });

  it("takes a legacy event's meta.schema_uri as its schema", () => {
    const event = {
      meta: { id: 'a', dt: '2017-02-26T15:49:36+00:00', schema_uri: 'mediawiki/recentchange/2' },
    };
    expect(schemaOf(event)).toBe('mediawiki/recentchange/2');
    expect(schemaOf({ meta: { id: 'a', dt: '2026-02-26T15:49:36Z' } })).toBeUndefined();
  });
});

describe('drift counter', () => {
  it('counts events per minute and schema, and each unknown field with its first time in the minute', () => {
    const counter = createDriftCounter();
    counter.record(V1, undefined, T0 + 1_000);
    counter.record(V2, ['performer'], T0 + 2_000);
    counter.record(V2, ['performer', 'is_temp'], T0 + 3_000);
    counter.record(undefined, ['odd'], T0 + 4_000);
    counter.record(V2, ['is_temp'], T0 + 61_000);
    expect(rows(counter.snapshot(T0 + 62_000))).toEqual([
      { minute: '2026-02-26T15:49:00.000Z', schema: V1, events: 1, otherFields: 0, fields: {} },
      {
        minute: '2026-02-26T15:49:00.000Z',
        schema: V2,
        events: 2,
        otherFields: 0,
        fields: { performer: [2, 2_000], is_temp: [1, 3_000] },
      },
      {
        minute: '2026-02-26T15:49:00.000Z',
        schema: DRIFT_SCHEMA_LABELS.none,
        events: 1,
        otherFields: 0,
        fields: { odd: [1, 4_000] },
      },
      {
        minute: '2026-02-26T15:50:00.000Z',
        schema: V2,
        events: 1,
        otherFields: 0,
        fields: { is_temp: [1, 61_000] },
      },
    ]);
  });

  it('keeps at most the capped number of field names per schema, counting the rest as other fields', () => {
    const counter = createDriftCounter();
    let seed = 7;
    const random = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return `f${seed.toString(36)}`;
    };
    for (let i = 0; i < 20_000; i++) counter.record(V2, [random(), random()], T0 + (i % 60_000));
    const [row] = rows(counter.snapshot(T0 + 30_000));
    expect(Object.keys(row?.fields ?? {})).toHaveLength(DRIFT_LIMITS.fieldsPerSchema);
    expect(row?.events).toBe(20_000);
    expect((row?.otherFields ?? 0) + Object.keys(row?.fields ?? {}).length).toBe(40_000);
    expect(counter.size()).toEqual({ minutes: 1, fields: DRIFT_LIMITS.fieldsPerSchema });
  });

  it('counts names longer than the limit as other fields, and caps schema versions per minute', () => {
    const counter = createDriftCounter({ ...DRIFT_LIMITS, schemasPerMinute: 2 });
    counter.record(V1, ['x'.repeat(DRIFT_LIMITS.nameLength + 1)], T0);
    counter.record(V2, undefined, T0);
    counter.record('/third', undefined, T0);
    counter.record('/fourth', ['y'], T0);
    counter.record('z'.repeat(DRIFT_LIMITS.nameLength + 1), undefined, T0);
    expect(
      rows(counter.snapshot(T0)).map(({ schema, events, otherFields, fields }) => [
        schema,
        events,
        otherFields,
        Object.keys(fields),
      ]),
    ).toEqual([
      [V1, 1, 1, []],
      [V2, 1, 0, []],
      [DRIFT_SCHEMA_LABELS.other, 3, 0, ['y']],
    ]);
  });

  it('forgets complete minutes once stored, keeps the current one, and sends only what changed', () => {
    const counter = createDriftCounter();
    counter.record(V1, ['a'], T0 + 59_000);
    counter.record(V1, ['a'], T0 + 60_500);
    const first = counter.snapshot(T0 + 61_000);
    expect(first.minutes.map((minute) => minute.start)).toEqual([T0, T0 + 60_000]);
    counter.acknowledge(first);
    expect(counter.size().minutes).toBe(1);
    expect(counter.snapshot(T0 + 62_000).minutes).toEqual([]);
    // The current minute goes on counting; its next write holds the whole minute (it overwrites).
    counter.record(V1, ['a'], T0 + 63_000);
    expect(rows(counter.snapshot(T0 + 64_000))).toMatchObject([{ events: 2, fields: { a: [2, 60_500] } }]);
  });

  it('keeps everything for the next flush when one fails', () => {
    const counter = createDriftCounter();
    counter.record(V1, ['a'], T0);
    const failed = counter.snapshot(T0 + 120_000);
    counter.record(V1, ['a'], T0 + 121_000);
    const next = counter.snapshot(T0 + 122_000);
    expect(rows(next).map(({ events }) => events)).toEqual([1, 1]);
    expect(rows(failed).map(({ events }) => events)).toEqual([1]);
  });

  it('never counts into a minute it forgot: a late count goes to the oldest open minute', () => {
    const counter = createDriftCounter();
    counter.record(V1, undefined, T0 + 1_000);
    counter.acknowledge(counter.snapshot(T0 + 60_000));
    // A clock that stepped back: this minute's document is stored with 1 and must not become 1 again.
    counter.record(V1, undefined, T0 + 2_000);
    expect(rows(counter.snapshot(T0 + 61_000))).toMatchObject([
      { minute: '2026-02-26T15:50:00.000Z', events: 1 },
    ]);
  });

  it('a minute counted while its snapshot was written is written again, not forgotten', () => {
    const counter = createDriftCounter();
    counter.record(V1, undefined, T0 + 1_000);
    const snapshot = counter.snapshot(T0 + 60_000);
    counter.record(V1, undefined, T0 + 1_500);
    counter.acknowledge(snapshot);
    expect(rows(counter.snapshot(T0 + 61_000))).toMatchObject([
      { minute: '2026-02-26T15:49:00.000Z', events: 2 },
    ]);
  });

  it('holds a bounded number of minutes while flushes fail, reporting the events it dropped', () => {
    const counter = createDriftCounter({ ...DRIFT_LIMITS, pendingMinutes: 3 });
    for (let minute = 0; minute < 5; minute++)
      for (let i = 0; i <= minute; i++) counter.record(V1, undefined, T0 + minute * 60_000);
    expect(counter.size().minutes).toBe(3);
    expect(counter.takeDropped()).toBe(1 + 2);
    expect(counter.takeDropped()).toBe(0);
    expect(rows(counter.snapshot(T0 + 300_000)).map(({ events }) => events)).toEqual([3, 4, 5]);
  });
});
