import {
  EDITOR_KINDS,
  type EditorKind,
  editorKind,
  type StatsResponse,
  type Totals,
} from '@wikistream/shared';
import type { Bucket, BucketsAgg, ValueAgg } from '../elasticsearch/search-types.ts';
import { type StatsPlan, seriesStart } from './stats-query.ts';

type Aggs = Record<string, unknown>;

const sub = (aggs: Aggs, name: string): Aggs => (aggs[name] ?? {}) as Aggs;
const buckets = (aggs: Aggs, name: string): Bucket[] => (aggs[name] as BucketsAgg | undefined)?.buckets ?? [];
const value = (aggs: Aggs, name: string): number => (aggs[name] as ValueAgg | undefined)?.value ?? 0;
/** Events behind an aggregation: the sum of rollup.count (raw documents count 1). */
const events = (aggs: Aggs): number => Math.round(value(aggs, 'n'));
const firstKey = (aggs: Aggs, name: string): string | null => {
  const key = buckets(aggs, name)[0]?.key;
  return key === undefined ? null : String(key);
};
const flag = (aggs: Aggs, name: string): boolean => {
  const bucket = buckets(aggs, name)[0];
  return bucket?.key === 1 || bucket?.key_as_string === 'true';
};

/** Bots, logged-out and temporary counted; registered and IP addresses follow by difference. */
function editorCounts(aggs: Aggs): Record<EditorKind, number> {
  const all = events(aggs);
  const bot = events(sub(aggs, 'bots'));
  const anonymous = events(sub(aggs, 'anonymous'));
  const temporary = events(sub(aggs, 'temporary'));
  return {
    bot,
    temporary,
    ip: Math.max(0, anonymous - temporary),
    registered: Math.max(0, all - bot - anonymous),
  };
}

export function toTotals(counting: Aggs, lists: Aggs): Totals {
  const types = new Map(buckets(counting, 'types').map((b) => [String(b.key), events(b)]));
  const all = events(counting);
  const kinds = editorCounts(counting);
  return {
    events: all,
    edits: types.get('edit') ?? 0,
    newPages: types.get('new') ?? 0,
    logs: types.get('log') ?? 0,
    categorize: types.get('categorize') ?? 0,
    bots: kinds.bot,
    humans: kinds.registered,
    registered: kinds.registered,
    temporary: kinds.temporary,
    ip: kinds.ip,
    anonymous: kinds.temporary + kinds.ip,
    activeWikis: value(counting, 'wikiCount'),
    activeUsers: value(lists, 'userCount'),
    bytesAdded: Math.round(value(sub(counting, 'addedRaw'), 'sum') + value(counting, 'addedCells')),
    bytesRemoved: -Math.round(value(sub(counting, 'removedRaw'), 'sum') + value(counting, 'removedCells')),
  };
}

function topPages(lists: Aggs, top: number): StatsResponse['topPages'] {
  const pages = buckets(lists, 'pages').flatMap((title) =>
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

function topEditors(lists: Aggs): StatsResponse['topEditors'] {
  return buckets(lists, 'editors').map((editor) => {
    const wiki = buckets(editor, 'wikis')[0];
    const user = String(editor.key);
    const bot = flag(editor, 'bot');
    return {
      user,
      count: editor.doc_count,
      bot,
      anonymous: flag(editor, 'anonymous'),
      kind: storedKind(firstKey(editor, 'kind')) ?? editorKind({ user, bot }),
      wiki: wiki ? String(wiki.key) : null,
      serverUrl: wiki ? firstKey(wiki, 'serverUrl') : null,
    };
  });
}

/** An editor's stored kind; documents indexed before editor kinds have none, and get it from the name. */
function storedKind(key: string | null): EditorKind | undefined {
  return (EDITOR_KINDS as readonly (string | null)[]).includes(key) ? (key as EditorKind) : undefined;
}

/** Every bucket from `from` to `to`, also where nothing happened (or nothing is indexed at all). */
function series(plan: StatsPlan, found: Bucket[]): StatsResponse['series'] {
  const byStart = new Map(found.map((bucket) => [Number(bucket.key), bucket]));
  const points: StatsResponse['series'] = [];
  for (let t = seriesStart(plan); t < plan.to; t += plan.intervalMs) {
    const kinds = editorCounts(byStart.get(t) ?? {});
    points.push({
      t: new Date(t).toISOString(),
      bot: kinds.bot,
      human: kinds.registered,
      registered: kinds.registered,
      temporary: kinds.temporary,
      ip: kinds.ip,
      anonymous: kinds.temporary + kinds.ip,
    });
  }
  return points;
}

/** Pure: the answers of summableSearchBody and listsSearchBody → the wire response. */
export function toStatsResponse(
  plan: StatsPlan,
  intervalName: string,
  summable: Aggs,
  lists: Aggs,
  sampleRate: number,
): StatsResponse {
  const current = sub(summable, 'current');
  const currentLists = sub(lists, 'current');
  const listed = sampleRate < 1 ? sub(sub(lists, 'sample'), 'current') : currentLists;
  return {
    range: {
      from: new Date(plan.from).toISOString(),
      to: new Date(plan.to).toISOString(),
      interval: intervalName,
    },
    totals: toTotals(current, currentLists),
    previous: toTotals(sub(summable, 'previous'), sub(lists, 'previous')),
    eventsPerMinute: events(sub(summable, 'lastMinute')),
    series: series(plan, buckets(current, 'series')),
    topWikis: buckets(current, 'wikis').map((bucket) => ({
      key: String(bucket.key),
      count: events(bucket),
      serverUrl: firstKey(bucket, 'serverUrl'),
    })),
    topPages: topPages(listed, plan.top),
    topEditors: topEditors(listed),
    types: buckets(current, 'types').map((bucket) => ({ key: String(bucket.key), count: events(bucket) })),
    namespaces: buckets(current, 'namespaces').map((bucket) => ({
      key: Number(bucket.key),
      count: events(bucket),
    })),
    ...(sampleRate < 1 ? { sampleRate } : {}),
  };
}
