import { classifyEvent, HEADERS, type RecentChangeEvent, toDocument } from '@wikistream/shared';
import { describe, expect, it } from 'vitest';
import { rederiveRecord, rederiveStored, storedProvenance } from '../../src/reindex/rederive.ts';

const event: RecentChangeEvent = {
  meta: {
    id: 'a1',
    dt: '2026-12-05T10:00:00Z',
    domain: 'en.wikipedia.org',
    stream: 'mediawiki.recentchange',
  },
  type: 'edit',
  title: 'Main_Page',
  user: '~2025-12345-67',
  bot: false,
  wiki: 'enwiki',
  length: { old: 10, new: 25 },
};
const provenance = {
  kafkaPartition: 2,
  kafkaOffset: '41',
  sseId: 's-1',
  receivedAt: Date.parse('2026-12-05T10:00:00.400Z'),
  indexedAt: Date.parse('2026-12-05T10:00:00.500Z'),
};

describe('re-deriving documents', () => {
  it('gives a document stored the old way what the current code derives, provenance kept', () => {
    // As older code stored it: no editor_kind, a temporary account counted as registered.
    const { editor_kind: _kind, ...old } = toDocument(event, provenance);
    const stored = JSON.parse(JSON.stringify({ ...old, is_anonymous: false }));
    expect(rederiveStored(stored)).toEqual(JSON.parse(JSON.stringify(toDocument(event, provenance))));
    expect(rederiveStored(stored)).toMatchObject({ editor_kind: 'temporary', is_anonymous: true });
    expect(storedProvenance(stored)).toEqual(provenance);
  });

  it('drops every derived field it finds, also one the event never had', () => {
    const stored = { ...JSON.parse(JSON.stringify(toDocument(event, provenance))), title_text: 'forged' };
    expect(rederiveStored(stored).title_text).toBe('Main Page');
  });

  it('builds from a record exactly the document the indexer builds, for the days asked only', () => {
    const value = Buffer.from(JSON.stringify(event));
    const record = {
      partition: 2,
      offset: '41',
      timestamp: String(provenance.indexedAt),
      value,
      headers: { [HEADERS.sseId]: 's-1', [HEADERS.receivedAt]: String(provenance.receivedAt) },
    };
    const outcome = rederiveRecord(record, new Set(['2026.12.05']));
    if (outcome.kind !== 'document') throw new Error(outcome.reason);
    expect(outcome).toMatchObject({ day: '2026.12.05', id: 'a1' });
    expect(JSON.parse(Buffer.concat(outcome.source).toString())).toEqual(
      JSON.parse(JSON.stringify(toDocument(event, provenance))),
    );
    expect(rederiveRecord(record, new Set(['2026.12.06']))).toEqual({ kind: 'skip', reason: 'other_day' });
    expect(rederiveRecord({ ...record, value: Buffer.from('{') }, new Set(['2026.12.05']))).toEqual({
      kind: 'skip',
      reason: 'invalid',
    });
    const canary = { ...event, meta: { ...event.meta, domain: 'canary' } };
    expect(classifyEvent(JSON.stringify(canary)).ok).toBe(true);
    const fromCanary = rederiveRecord(
      { ...record, value: Buffer.from(JSON.stringify(canary)) },
      new Set(['2026.12.05']),
    );
    expect(fromCanary).toEqual({
      kind: 'skip',
      reason: 'canary',
    });
  });
});
