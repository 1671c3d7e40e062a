import type { StatsResponse, Totals } from '@wikistream/shared';
import type { Bucket, BucketsAgg, ValueAgg } from '../elasticsearch/search-types.ts';
import type { StatsPlan } from './stats-query.ts';

type Aggs = Record<string, unknown>;

const buckets = (aggs: Aggs, name: string): Bucket[] => (aggs[name] as BucketsAgg | undefined)?.buckets ?? [];
const docCount = (aggs: Aggs, name: string): number => (aggs[name] as { doc_count?: number })?.doc_count ?? 0;
const value = (aggs: Aggs, name: string): number => (aggs[name] as ValueAgg | undefined)?.value ?? 0;
const sumOf = (aggs: Aggs, name: string): number => Math.round(value((aggs[name] ?? {}) as Aggs, 'sum'));
const firstKey = (aggs: Aggs, name: string): string | null => {
  const key = buckets(aggs, name)[0]?.key;
  return key === undefined ? null : String(key);
};
const flag = (aggs: Aggs, name: string): boolean => {
  const bucket = buckets(aggs, name)[0] as (Bucket & { key_as_string?: string }) | undefined;
  return bucket?.key === 1 || bucket?.key_as_string === 'true';
};

export function toTotals(aggs: Aggs): Totals {
  const types = new Map(buckets(aggs, 'types').map((b) => [String(b.key), b.doc_count]));
  const events = typeof aggs.doc_count === 'number' ? aggs.doc_count : 0;
  const bots = docCount(aggs, 'bots');
  const anonymous = docCount(aggs, 'anonymous');
  return {
    events,
    edits: types.get('edit') ?? 0,
    newPages: types.get('new') ?? 0,
    logs: types.get('log') ?? 0,
    categorize: types.get('categorize') ?? 0,
    bots,
    humans: Math.max(0, events - bots - anonymous),
    anonymous,
    activeWikis: value(aggs, 'wikiCount'),
    activeUsers: value(aggs, 'userCount'),
    bytesAdded: sumOf(aggs, 'added'),
    bytesRemoved: -sumOf(aggs, 'removed'),
  };
}

function topPages(aggs: Aggs, top: number): StatsResponse['topPages'] {
  const pages = buckets(aggs, 'pages').flatMap((title) =>
    buckets(title, 'wikis').map((wiki) => ({
      wiki: String(wiki.key),
      title: String(title.key),
      serverUrl: firstKey(wiki, 'serverUrl'),
      count: wiki.doc_count,
    })),
  );
  pages.sort((a, b) => b.count - a.count || a.wiki.localeCompare(b.wiki) || a.title.localeCompare(b.title));
  return pages.slice(0, top);
}

function topEditors(aggs: Aggs): StatsResponse['topEditors'] {
  return buckets(aggs, 'editors').map((editor) => {
    const wiki = buckets(editor, 'wikis')[0];
    return {
      user: String(editor.key),
      count: editor.doc_count,
      bot: flag(editor, 'bot'),
      anonymous: flag(editor, 'anonymous'),
      wiki: wiki ? String(wiki.key) : null,
      serverUrl: wiki ? firstKey(wiki, 'serverUrl') : null,
    };
  });
}

/** Every bucket from `from` to `to`, also where nothing happened (or nothing is indexed at all). */
function series(plan: StatsPlan, found: Bucket[]): StatsResponse['series'] {
  const byStart = new Map(found.map((bucket) => [Number(bucket.key), bucket]));
  const points: StatsResponse['series'] = [];
  for (let t = plan.from; t < plan.to; t += plan.intervalMs) {
    const bucket = byStart.get(t);
    const bot = bucket ? docCount(bucket, 'bots') : 0;
    const anonymous = bucket ? docCount(bucket, 'anonymous') : 0;
    const human = bucket ? Math.max(0, bucket.doc_count - bot - anonymous) : 0;
    points.push({ t: new Date(t).toISOString(), bot, human, anonymous });
  }
  return points;
}

/** Pure: the search answer of statsSearchBody → the wire response. */
export function toStatsResponse(plan: StatsPlan, intervalName: string, aggs: Aggs): StatsResponse {
  const current = (aggs.current ?? {}) as Aggs;
  return {
    range: {
      from: new Date(plan.from).toISOString(),
      to: new Date(plan.to).toISOString(),
      interval: intervalName,
    },
    totals: toTotals(current),
    previous: toTotals((aggs.previous ?? {}) as Aggs),
    eventsPerMinute: docCount(aggs, 'lastMinute'),
    series: series(plan, buckets(current, 'series')),
    topWikis: buckets(current, 'wikis').map((bucket) => ({
      key: String(bucket.key),
      count: bucket.doc_count,
      serverUrl: firstKey(bucket, 'serverUrl'),
    })),
    topPages: topPages(current, plan.top),
    topEditors: topEditors(current),
    types: buckets(current, 'types').map((bucket) => ({ key: String(bucket.key), count: bucket.doc_count })),
    namespaces: buckets(current, 'namespaces').map((bucket) => ({
      key: Number(bucket.key),
      count: bucket.doc_count,
    })),
  };
}
