import { describe, expect, it } from 'vitest';
import type { SearchPort, SearchRequest } from '../../src/elasticsearch/search-types.ts';
import {
  driftReport,
  firstSeenBody,
  readDriftCounts,
  withFirstSeen,
} from '../../src/pipeline/drift-report.ts';

const V2 = '/mediawiki/recentchange/2.0.0';
const minute = (iso: string) => ({ value: Date.parse(iso) });
const sum = (value: number) => ({ count: { value } });

/** An answer of driftCountsBody as the engine gives it. */
const counts = {
  schemas: {
    buckets: [
      {
        key: V2,
        doc_count: 9,
        events: { doc_count: 2, ...sum(180) },
        other: { doc_count: 1, ...sum(7) },
        unknown: {
          doc_count: 4,
          ...sum(275),
          fields: {
            buckets: [
              { key: 'performer', doc_count: 2, ...sum(180), first: minute('2026-02-26T10:01:00Z') },
              { key: 'is_temp', doc_count: 2, ...sum(60), first: minute('2026-02-26T10:02:00Z') },
            ],
          },
        },
      },
      {
        key: '(none)',
        doc_count: 1,
        events: { doc_count: 1, ...sum(3) },
        other: { doc_count: 0, ...sum(0) },
        unknown: { doc_count: 0, ...sum(0), fields: { buckets: [] } },
      },
    ],
  },
};

describe('schema drift report', () => {
  it('sums events per version and lists fields, counting the unlisted ones as other fields', () => {
    expect(readDriftCounts(counts)).toEqual([
      {
        schema: V2,
        events: 180,
        unknownFields: [
          { name: 'performer', count: 180, firstSeen: '2026-02-26T10:01:00.000Z' },
          { name: 'is_temp', count: 60, firstSeen: '2026-02-26T10:02:00.000Z' },
        ],
        // 7 past the indexers' cap, 35 of names the list leaves out.
        otherFields: 42,
      },
      { schema: '(none)', events: 3, unknownFields: [], otherFields: 0 },
    ]);
    expect(readDriftCounts(undefined)).toEqual([]);
  });

  it('takes first sightings from the first-seen documents, falling back to the earliest minute', () => {
    const schemas = readDriftCounts(counts);
    const firstSeen = {
      schemas: {
        buckets: [
          {
            key: V2,
            doc_count: 3,
            fields: {
              buckets: [{ key: 'performer', doc_count: 3, first: minute('2026-02-20T08:00:00.123Z') }],
            },
          },
        ],
      },
    };
    const fields = withFirstSeen(schemas, firstSeen)[0]?.unknownFields;
    expect(fields?.map((field) => [field.name, field.firstSeen])).toEqual([
      ['performer', '2026-02-20T08:00:00.123Z'],
      ['is_temp', '2026-02-26T10:02:00.000Z'],
    ]);
    expect(firstSeenBody(schemas).query.bool.filter).toContainEqual({
      terms: { field: ['performer', 'is_temp'] },
    });
  });

  it('searches the drift indices over the last 24 hours, the first-seen documents only when needed', async () => {
    const requests: SearchRequest[] = [];
    const search = (answer: unknown) =>
      ({
        async search(request: SearchRequest) {
          requests.push(request);
          return { took: 1, hits: { hits: [] }, aggregations: answer };
        },
      }) as unknown as SearchPort;
    const now = Date.parse('2026-02-27T00:00:00Z');
    const empty = await driftReport(search({ schemas: { buckets: [] } }), 'p_drift-*', now);
    expect(empty).toEqual({ from: '2026-02-26T00:00:00.000Z', to: '2026-02-27T00:00:00.000Z', schemas: [] });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.index).toBe('p_drift-*');
    expect(requests[0]?.body.query).toEqual({
      range: { minute: { gte: now - 86_400_000, lte: now, format: 'epoch_millis' } },
    });
    await driftReport(search(counts), 'p_drift-*', now);
    expect(requests).toHaveLength(3);
  });
});
