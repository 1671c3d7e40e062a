import { DRIFT_KINDS, type SchemaDrift, type SchemaVersionDrift } from '@wikistream/shared';
import type { Bucket, BucketsAgg, SearchPort, ValueAgg } from '../elasticsearch/search-types.ts';
import { LIMITS, WINDOWS } from '../limits.ts';

type Sum = { count?: ValueAgg };
const sum = { count: { sum: { field: 'count' } } };
const kind = (name: string) => ({ term: { kind: name } });
const byCount = [{ count: 'desc' }, { _key: 'asc' }];

/**
 * Pure: the search summing the indexers' drift counters of [from, to]: per schema version its events
 * and its unknown fields, each with its earliest minute (in case its first-seen document is gone).
 */
export function driftCountsBody(from: number, to: number) {
  return {
    size: 0,
    track_total_hits: false,
    query: { range: { minute: { gte: from, lte: to, format: 'epoch_millis' } } },
    aggs: {
      schemas: {
        terms: {
          field: 'schema',
          size: LIMITS.driftSchemas,
          order: [{ 'events>count': 'desc' }, { _key: 'asc' }],
        },
        aggs: {
          events: { filter: kind(DRIFT_KINDS.events), aggs: sum },
          other: { filter: kind(DRIFT_KINDS.otherFields), aggs: sum },
          unknown: {
            filter: kind(DRIFT_KINDS.field),
            aggs: {
              ...sum,
              fields: {
                terms: { field: 'field', size: LIMITS.driftFields, order: byCount },
                aggs: { ...sum, first: { min: { field: 'minute' } } },
              },
            },
          },
        },
      },
    },
  };
}

/** Pure: the first-seen documents of the fields listed, over every drift index retained. */
export function firstSeenBody(schemas: readonly SchemaVersionDrift[]) {
  const names = [...new Set(schemas.flatMap((schema) => schema.unknownFields.map((field) => field.name)))];
  return {
    size: 0,
    track_total_hits: false,
    query: {
      bool: {
        filter: [
          kind(DRIFT_KINDS.firstSeen),
          { terms: { schema: schemas.map((schema) => schema.schema) } },
          { terms: { field: names } },
        ],
      },
    },
    aggs: {
      schemas: {
        terms: { field: 'schema', size: Math.max(1, schemas.length) },
        aggs: {
          fields: {
            terms: { field: 'field', size: Math.max(1, names.length) },
            aggs: { first: { min: { field: 'first_seen' } } },
          },
        },
      },
    },
  };
}

const buckets = (agg: unknown): Bucket[] => (agg as BucketsAgg | undefined)?.buckets ?? [];
const total = (agg: unknown): number => Math.round((agg as Sum | undefined)?.count?.value ?? 0);
const isoOf = (ms: number | null | undefined) => new Date(ms ?? 0).toISOString();

/**
 * Pure: the counts search's answer → the versions with their fields, each field's first sighting
 * the start of its earliest minute until withFirstSeen knows better. `otherFields` adds the
 * occurrences the list leaves out.
 */
export function readDriftCounts(aggregations: Record<string, unknown> | undefined): SchemaVersionDrift[] {
  return buckets(aggregations?.schemas).map((bucket) => {
    const unknown = bucket.unknown as Sum & { fields?: unknown };
    const unknownFields = buckets(unknown?.fields).map((field) => ({
      name: String(field.key),
      count: total(field),
      firstSeen: isoOf((field.first as ValueAgg | undefined)?.value),
    }));
    const listed = unknownFields.reduce((all, field) => all + field.count, 0);
    return {
      schema: String(bucket.key),
      events: total(bucket.events),
      unknownFields,
      otherFields: total(bucket.other) + Math.max(0, total(unknown) - listed),
    };
  });
}

/**
 * Pure: each field's first sighting from its first-seen documents (the earliest over the indexers);
 * only a field without one (its day's index is gone) keeps the start of its earliest minute.
 */
export function withFirstSeen(
  schemas: readonly SchemaVersionDrift[],
  aggregations: Record<string, unknown> | undefined,
): SchemaVersionDrift[] {
  const earliest = new Map<string, number>();
  for (const schema of buckets(aggregations?.schemas))
    for (const field of buckets(schema.fields)) {
      const first = (field.first as ValueAgg | undefined)?.value;
      if (typeof first === 'number') earliest.set(`${schema.key}\u0000${field.key}`, first);
    }
  return schemas.map((schema) => ({
    ...schema,
    unknownFields: schema.unknownFields.map((field) => {
      const stored = earliest.get(`${schema.schema}\u0000${field.name}`);
      return stored === undefined ? field : { ...field, firstSeen: isoOf(stored) };
    }),
  }));
}

/**
 * Schema drift of the last 24 h from the drift indices `<prefix>_drift-*` (none yet reads as none):
 * two searches, the second only when some version has unknown fields.
 */
export async function driftReport(search: SearchPort, index: string, now: number): Promise<SchemaDrift> {
  const from = now - WINDOWS.driftWindowMs;
  const counts = await search.search({ index, body: driftCountsBody(from, now) });
  const schemas = readDriftCounts(counts.aggregations);
  const window = { from: isoOf(from), to: isoOf(now) };
  if (!schemas.some((schema) => schema.unknownFields.length > 0)) return { ...window, schemas };
  const firstSeen = await search.search({ index, body: firstSeenBody(schemas) });
  return { ...window, schemas: withFirstSeen(schemas, firstSeen.aggregations) };
}
