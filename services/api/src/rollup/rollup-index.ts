import { dailyIndexName } from '@wikistream/shared';

/**
 * Per-minute rollups: one "cell" per minute and combination of wiki, type, bot, anonymous, kind of
 * editor and namespace, with the number of events and the bytes they added and removed. The cells use the
 * raw documents' field names, so one aggregation reads cells and raw documents together.
 * Daily indices, so old cells go by deleting an index (the engine has no delete-by-query).
 */
export const ROLLUP_MAPPING = {
  dynamic: false,
  properties: {
    meta: { properties: { dt: { type: 'date' } } },
    wiki: { type: 'keyword' },
    server_url: { type: 'keyword' },
    type: { type: 'keyword' },
    bot: { type: 'boolean' },
    is_anonymous: { type: 'boolean' },
    editor_kind: { type: 'keyword' },
    namespace: { type: 'integer' },
    rollup: {
      properties: {
        count: { type: 'integer' },
        bytes_added: { type: 'long' },
        bytes_removed: { type: 'long' },
      },
    },
  },
} as const;

/**
 * The cells' layout: their dimensions, hence their ids. A new layout writes to indices of its own,
 * so cells of the old one (other ids for the same minute) are never counted with the new ones.
 */
export const ROLLUP_LAYOUT = 2;

/** `<prefix>_rollup_v<layout>`: not matched by the raw pattern `<prefix>-*`. */
export function rollupPrefix(prefix: string): string {
  return `${prefix}_rollup_v${ROLLUP_LAYOUT}`;
}

/** Indices of layouts before ROLLUP_LAYOUT (the first had no version in its name); never read. */
export function olderRollupPatterns(prefix: string): string[] {
  return [
    `${prefix}_rollup-*`,
    ...Array.from({ length: ROLLUP_LAYOUT - 2 }, (_, i) => `${prefix}_rollup_v${i + 2}-*`),
  ];
}

export function rollupIndexName(prefix: string, minute: number): string {
  return dailyIndexName(rollupPrefix(prefix), new Date(minute));
}

export function rollupTemplate(prefix: string) {
  return {
    index_patterns: [`${rollupPrefix(prefix)}-*`],
    priority: 100,
    template: {
      settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: '-1' },
      mappings: ROLLUP_MAPPING,
    },
  };
}

const MINUTE_SOURCE = { minute: { date_histogram: { field: 'meta.dt', fixed_interval: '1m' } } };
const DIMENSIONS = ['wiki', 'server_url', 'type', 'bot', 'is_anonymous', 'editor_kind', 'namespace'] as const;

/** Composite aggregation over raw documents of [from, to): one bucket per cell. */
export function cellsSearchBody(from: number, to: number, after?: Record<string, unknown>) {
  return {
    size: 0,
    track_total_hits: false,
    query: {
      bool: {
        filter: [{ range: { 'meta.dt': { gte: from, lt: to, format: 'epoch_millis' } } }],
        must_not: [{ term: { 'meta.domain': 'canary' } }],
      },
    },
    aggs: {
      cells: {
        composite: {
          size: 5_000,
          sources: [
            MINUTE_SOURCE,
            ...DIMENSIONS.map((field) => ({ [field]: { terms: { field, missing_bucket: true } } })),
          ],
          ...(after ? { after } : {}),
        },
        aggs: {
          added: {
            filter: { range: { byte_delta: { gt: 0 } } },
            aggs: { sum: { sum: { field: 'byte_delta' } } },
          },
          removed: {
            filter: { range: { byte_delta: { lt: 0 } } },
            aggs: { sum: { sum: { field: 'byte_delta' } } },
          },
        },
      },
    },
  };
}

interface CellBucket {
  key: Record<string, string | number | boolean | null>;
  doc_count: number;
  added?: { sum?: { value?: number } };
  removed?: { sum?: { value?: number } };
}

/** Pure: composite buckets → bulk operations that overwrite (never increment) each cell. */
export function cellOperations(prefix: string, buckets: readonly CellBucket[]): unknown[] {
  return buckets.flatMap((bucket) => {
    const minute = Number(bucket.key.minute);
    const dims = Object.fromEntries(DIMENSIONS.map((field) => [field, bucket.key[field] ?? null]));
    const id = [minute, ...DIMENSIONS.map((field) => String(dims[field]))].join('|');
    return [
      { index: { _index: rollupIndexName(prefix, minute), _id: id } },
      {
        meta: { dt: minute },
        ...dims,
        rollup: {
          count: bucket.doc_count,
          bytes_added: Math.round(bucket.added?.sum?.value ?? 0),
          bytes_removed: Math.round(bucket.removed?.sum?.value ?? 0),
        },
      },
    ];
  });
}
