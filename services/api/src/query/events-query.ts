import { LIMITS } from '../limits.ts';
import type { SortValues } from './cursor.ts';
import { type Clause, filterQuery } from './filter-query.ts';
import type { Filters } from './filters.ts';
import { SUMMARY_SOURCE_FIELDS } from './to-summary.ts';

/** Fields `q` searches: title words (split at ':' '/' '_'), the title as analysed, comment, user. */
export const SEARCH_FIELDS = ['title_text', 'title.text', 'comment', 'user'] as const;

/**
 * simple_query_string never fails on syntax and, with these flags, offers only AND/OR/NOT,
 * phrases, precedence and escaping: no prefix, fuzzy, slop or near operators, so no input can
 * expand into an expensive query. (query_string would accept regexes and field names.)
 */
const SAFE_FLAGS = 'AND|OR|NOT|PHRASE|PRECEDENCE|ESCAPE|WHITESPACE';

export function textQuery(q: string): Clause {
  return {
    simple_query_string: {
      query: q,
      fields: [...SEARCH_FIELDS],
      flags: SAFE_FLAGS,
      default_operator: 'and',
      lenient: true,
      analyze_wildcard: false,
      auto_generate_synonyms_phrase_query: false,
    },
  };
}

export interface EventsSearch {
  readonly filters: Filters;
  readonly q?: string | undefined;
  readonly size: number;
  readonly after?: SortValues | undefined;
  readonly trackTotal: boolean;
}

/** Newest first; `meta.id` breaks ties so search_after pages never skip or repeat an event. */
export const EVENT_SORT = [{ 'meta.dt': { order: 'desc' } }, { 'meta.id': { order: 'asc' } }] as const;

export function eventsSearchBody(search: EventsSearch): Record<string, unknown> {
  const query = search.q?.trim() ? [textQuery(search.q)] : [];
  const base = filterQuery(search.filters) as { bool: Record<string, unknown> };
  return {
    query: { bool: { ...base.bool, must: query } },
    sort: EVENT_SORT,
    size: search.size,
    _source: [...SUMMARY_SOURCE_FIELDS],
    track_total_hits: search.trackTotal ? LIMITS.trackTotalHits : false,
    ...(search.after ? { search_after: [...search.after] } : {}),
  };
}
