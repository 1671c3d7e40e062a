import { isIP } from 'node:net';
import type { EventSummary, EventsPage, RecentChangeEvent, StatsResponse } from '@wikistream/shared';
import { createTestIndexPrefix, deleteIndicesWithPrefix, uniqueName } from '@wikistream/tools/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { canaryEvents, fixtureEventList, seedEvents } from './support/seed.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

/** Counts computed straight from the fixture files, without any of the api's code. */
function countBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

function delta(event: RecentChangeEvent): number | undefined {
  const before = event.length?.old;
  const after = event.length?.new;
  if (typeof after !== 'number') return undefined;
  if (typeof before === 'number') return after - before;
  return event.type === 'new' ? after : undefined;
}

/** Logged out under a temporary account (`~2025-…`); a bot counts as a bot. */
const temporary = (e: RecentChangeEvent) =>
  e.bot !== true && typeof e.user === 'string' && /^~2\d{3}-/.test(e.user);
/** Logged out under an IP address. */
const ipAddress = (e: RecentChangeEvent) =>
  e.bot !== true && typeof e.user === 'string' && isIP(e.user) !== 0;
/** Logged out: an IP address, or a temporary account. */
const anonymous = (e: RecentChangeEvent) => temporary(e) || ipAddress(e);

/** The fixtures were recorded from 2018 to 2026: stats over all of them ask for years. */
const FIXTURE_SPAN_HOURS = String(10 * 366 * 24);

/** The top `n` counts of a map, largest first. */
const topCounts = (counts: Map<string, number>, n: number) =>
  [...counts.values()].sort((a, b) => b - a).slice(0, n);

describe('search and statistics over the recorded fixtures', () => {
  const prefix = uniqueName('api-fixtures');
  const events = fixtureEventList();
  const canaries = canaryEvents(25);
  const dts = events.map((e) => Date.parse(e.meta.dt));
  const from = new Date(Math.min(...dts)).toISOString();
  const to = new Date(Math.max(...dts) + 1).toISOString();
  let api: TestApp;

  beforeAll(async () => {
    await seedEvents(inject('elasticsearchUrl'), prefix, [...events, ...canaries]);
    api = await createTestApp({
      prefix,
      env: { EXPORT_MAX_EVENTS: '2500', STATS_MAX_RANGE_HOURS: FIXTURE_SPAN_HOURS },
    });
  });
  afterAll(async () => {
    await api?.close();
    await deleteIndicesWithPrefix(inject('elasticsearchUrl'), prefix);
  });

  const get = async <T>(url: string) => {
    const response = await api.app.inject({ method: 'GET', url });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as T;
  };

  it('counts totals and breakdowns exactly as the fixture files say, without canaries', async () => {
    const stats = await get<StatsResponse>(`/api/stats?from=${from}&to=${to}&top=10`);
    const types = countBy(events, (e) => String(e.type));
    const bots = events.filter((e) => e.bot === true).length;
    const anon = events.filter(anonymous).length;
    const temporaries = events.filter(temporary).length;
    const ips = events.filter(ipAddress).length;
    expect(temporaries).toBeGreaterThan(0);
    expect(ips).toBeGreaterThan(0);
    const deltas = events.map(delta).filter((d): d is number => d !== undefined);
    expect(stats.totals).toEqual({
      events: events.length,
      edits: types.get('edit') ?? 0,
      newPages: types.get('new') ?? 0,
      logs: types.get('log') ?? 0,
      categorize: types.get('categorize') ?? 0,
      bots,
      humans: events.length - bots - anon,
      registered: events.length - bots - anon,
      temporary: temporaries,
      ip: ips,
      anonymous: anon,
      activeWikis: countBy(events, (e) => e.wiki).size,
      activeUsers: countBy(events, (e) => e.user).size,
      bytesAdded: deltas.filter((d) => d > 0).reduce((a, b) => a + b, 0),
      bytesRemoved: -deltas.filter((d) => d < 0).reduce((a, b) => a + b, 0),
    });
    expect(new Map(stats.types.map((t) => [t.key, t.count]))).toEqual(types);
    expect(new Map(stats.namespaces.map((n) => [String(n.key), n.count]))).toEqual(
      countBy(events, (e) => (e.namespace === undefined ? undefined : String(e.namespace))),
    );
    const series = stats.series.reduce(
      (sum, p) => ({
        bot: sum.bot + p.bot,
        human: sum.human + p.human,
        anonymous: sum.anonymous + p.anonymous,
        registered: sum.registered + p.registered,
        temporary: sum.temporary + p.temporary,
        ip: sum.ip + p.ip,
      }),
      { bot: 0, human: 0, anonymous: 0, registered: 0, temporary: 0, ip: 0 },
    );
    expect(series).toEqual({
      bot: bots,
      human: events.length - bots - anon,
      anonymous: anon,
      registered: events.length - bots - anon,
      temporary: temporaries,
      ip: ips,
    });
    expect(stats.previous.events).toBe(0);
  });

  it('ranks top wikis, pages and editors with the counts of the fixture files', async () => {
    const stats = await get<StatsResponse>(`/api/stats?from=${from}&to=${to}&top=10`);
    const wikis = countBy(events, (e) => e.wiki);
    const pages = countBy(events, (e) =>
      e.wiki && e.title !== undefined ? `${e.wiki}\u0000${e.title}` : undefined,
    );
    const editors = countBy(events, (e) => e.user);
    expect(stats.topWikis.map((w) => w.count)).toEqual(topCounts(wikis, 10));
    for (const wiki of stats.topWikis) expect(wiki.count).toBe(wikis.get(wiki.key));
    expect(stats.topWikis[0]?.serverUrl).toBe('https://www.wikidata.org');
    expect(stats.topPages.map((p) => p.count)).toEqual(topCounts(pages, 10));
    for (const page of stats.topPages) expect(page.count).toBe(pages.get(`${page.wiki}\u0000${page.title}`));
    expect(stats.topEditors.map((e) => e.count)).toEqual(topCounts(editors, 10));
    for (const editor of stats.topEditors) {
      expect(editor.count).toBe(editors.get(editor.user));
      const sample = events.find((e) => e.user === editor.user);
      expect(editor.bot).toBe(sample?.bot === true);
    }
  });

  it('estimates only the top lists from a sample when a range holds very many events', async () => {
    const sampling = await createTestApp({
      prefix,
      env: { STATS_SAMPLE_ABOVE: '1000', STATS_MAX_RANGE_HOURS: FIXTURE_SPAN_HOURS },
    });
    try {
      const response = await sampling.app.inject({ method: 'GET', url: `/api/stats?from=${from}&to=${to}` });
      const sampled = response.json() as StatsResponse;
      const exact = await get<StatsResponse>(`/api/stats?from=${from}&to=${to}`);
      expect(sampled.sampleRate).toBe(0.5); // at most one event in two
      expect(exact.sampleRate).toBeUndefined();
      expect(sampled.totals).toEqual(exact.totals);
      expect(sampled.topWikis).toEqual(exact.topWikis);
      expect(sampled.topEditors[0]?.user).toBe(exact.topEditors[0]?.user);
      expect(sampled.topEditors[0]?.count).toBeGreaterThan((exact.topEditors[0]?.count ?? 0) * 0.7);
      expect(sampled.topPages.length).toBeGreaterThan(0);
    } finally {
      await sampling.close();
    }
  });

  it('filters statistics, events and exports by kind of editor, and never counts a temporary account as registered', async () => {
    const kinds = {
      bot: (e: RecentChangeEvent) => e.bot === true,
      temporary,
      ip: ipAddress,
      registered: (e: RecentChangeEvent) => e.bot !== true && !anonymous(e),
    };
    for (const [kind, matches] of Object.entries(kinds)) {
      const expected = events.filter(matches);
      const stats = await get<StatsResponse>(`/api/stats?from=${from}&to=${to}&editorKind=${kind}`);
      expect(stats.totals.events, kind).toBe(expected.length);
      const page = await get<EventsPage>(`/api/events?from=${from}&to=${to}&editorKind=${kind}&size=100`);
      expect(page.total, kind).toBe(expected.length);
      expect(new Set(page.events.map((e) => e.editorKind)), kind).toEqual(new Set([kind]));
    }
    const loggedOut = await get<StatsResponse>(`/api/stats?from=${from}&to=${to}&editorKind=temporary,ip`);
    expect(loggedOut.totals.events).toBe(events.filter(anonymous).length);
    const temporaryUsers = new Set(events.filter(temporary).map((e) => e.user));
    const stats = await get<StatsResponse>(`/api/stats?from=${from}&to=${to}&top=50&editorKind=temporary`);
    expect(stats.topEditors.length).toBeGreaterThan(0);
    for (const editor of stats.topEditors) {
      expect(temporaryUsers.has(editor.user), editor.user).toBe(true);
      expect(editor).toMatchObject({ kind: 'temporary', anonymous: true, bot: false });
    }
    const ndjson = await api.app.inject({
      method: 'GET',
      url: `/api/events?from=${from}&to=${to}&editorKind=temporary&format=ndjson`,
    });
    const lines = ndjson.body.trim().split('\n');
    expect(lines).toHaveLength(events.filter(temporary).length);
    expect(lines.every((line) => (JSON.parse(line) as EventSummary).editorKind === 'temporary')).toBe(true);
    const bad = await api.app.inject({ method: 'GET', url: `/api/events?editorKind=humans` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'invalid_parameter', field: 'editorKind' });
  });

  it('filters statistics by wiki, type and bot like the raw data', async () => {
    const stats = await get<StatsResponse>(
      `/api/stats?from=${from}&to=${to}&wiki=enwiki,dewiki&type=edit&bot=false`,
    );
    const matching = events.filter(
      (e) => ['enwiki', 'dewiki'].includes(e.wiki ?? '') && e.type === 'edit' && e.bot !== true,
    );
    expect(stats.totals.events).toBe(matching.length);
    expect(stats.totals.bots).toBe(0);
    expect(new Set(stats.topWikis.map((w) => w.key))).toEqual(new Set(matching.map((e) => e.wiki)));
  });

  it('finds a known event by a word of its title and by its user', async () => {
    const known = events.find(
      (e) =>
        e.wiki === 'enwiki' &&
        e.type === 'edit' &&
        /^[A-Za-z]{5,}$/.test(e.title?.split(/[ :]/).at(-1) ?? '') &&
        e.user &&
        !isIP(e.user),
    );
    expect(known).toBeDefined();
    const word = known?.title?.split(/[ :]/).at(-1) ?? '';
    const byTitle = await get<EventsPage>(`/api/events?q=${encodeURIComponent(word)}&wiki=enwiki&size=100`);
    expect(byTitle.events.map((e) => e.id)).toContain(known?.meta.id);
    const byUser = await get<EventsPage>(`/api/events?q=${encodeURIComponent(`"${known?.user}"`)}&size=100`);
    expect(byUser.events.map((e) => e.id)).toContain(known?.meta.id);
    expect(
      byUser.events.every(
        (e) =>
          e.user === known?.user ||
          e.comment?.includes(known?.user ?? '') ||
          e.title?.includes(known?.user ?? ''),
      ),
    ).toBe(true);
  });

  it('pages through every event exactly once, newest first, and never shows canaries', async () => {
    const seen: EventSummary[] = [];
    let cursor: string | null = null;
    let first: EventsPage | undefined;
    do {
      const page: EventsPage = await get<EventsPage>(
        `/api/events?size=100${cursor ? `&cursor=${cursor}` : ''}`,
      );
      first ??= page;
      seen.push(...page.events);
      cursor = page.nextCursor;
    } while (cursor);
    expect(first?.total).toBe(events.length);
    expect(first?.totalRelation).toBe('eq');
    expect(seen).toHaveLength(events.length);
    expect(new Set(seen.map((e) => e.id))).toEqual(new Set(events.map((e) => e.meta.id)));
    const times = seen.map((e) => Date.parse(e.dt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const canaryHits = await get<EventsPage>('/api/events?q=Canary');
    expect(canaryHits.events.filter((e) => e.id.startsWith('canary-'))).toEqual([]);
  });

  it('streams exports up to the configured cap, as NDJSON and as CSV', async () => {
    const ndjson = await api.app.inject({
      method: 'GET',
      url: '/api/events?format=ndjson&wiki=wikidatawiki',
    });
    expect(ndjson.statusCode).toBe(200);
    expect(ndjson.headers['content-type']).toContain('application/x-ndjson');
    const lines = ndjson.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as EventSummary);
    expect(lines).toHaveLength(2500);
    expect(new Set(lines.map((e) => e.id)).size).toBe(2500);
    expect(lines.every((e) => e.wiki === 'wikidatawiki')).toBe(true);
    const csv = await api.app.inject({ method: 'GET', url: '/api/events?format=csv&wiki=enwiki' });
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = csv.body.trim().split('\r\n');
    expect(rows[0]).toMatch(/^id,dt,wiki,type,/);
    expect(rows.length).toBeGreaterThan(events.filter((e) => e.wiki === 'enwiki').length);
  });

  it('answers an empty page, not an error, for a prefix with no indices', async () => {
    const empty = await createTestApp({
      prefix: createTestIndexPrefix(inject('elasticsearchUrl'), 'api-none'),
    });
    try {
      const response = await empty.app.inject({ method: 'GET', url: '/api/events' });
      expect(response.json()).toEqual({ total: 0, totalRelation: 'eq', events: [], nextCursor: null });
      const stats = await empty.app.inject({ method: 'GET', url: '/api/stats' });
      expect((stats.json() as StatsResponse).totals.events).toBe(0);
    } finally {
      await empty.close();
    }
  });
});
