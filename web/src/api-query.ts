import type { TimeRange } from './time-range.ts';
import type { ViewState } from './url-state.ts';

/** The filter part of every data request, as the API reads it (lists comma-separated). */
export function filterParams(state: ViewState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.wiki.length > 0) params.set('wiki', state.wiki.join(','));
  if (state.type.length > 0) params.set('type', state.type.join(','));
  if (state.editorKind.length > 0) params.set('editorKind', state.editorKind.join(','));
  if (state.namespace.length > 0) params.set('namespace', state.namespace.join(','));
  return params;
}

export function rangedParams(state: ViewState, range: TimeRange): URLSearchParams {
  const params = filterParams(state);
  params.set('from', range.from.toISOString());
  params.set('to', range.to.toISOString());
  return params;
}

export interface EventsQuery {
  readonly cursor?: string | null;
  readonly size?: number;
  readonly format?: 'json' | 'ndjson' | 'csv';
}

/** `/api/events?...` for a page of search results or an export of the same view. */
export function eventsPath(state: ViewState, range: TimeRange, query: EventsQuery = {}): string {
  const params = rangedParams(state, range);
  if (state.q) params.set('q', state.q);
  if (query.size !== undefined) params.set('size', String(query.size));
  if (query.cursor) params.set('cursor', query.cursor);
  if (query.format && query.format !== 'json') params.set('format', query.format);
  return `/api/events?${params.toString()}`;
}

/** `/api/live?...`: the live feed takes the filters but no time range. */
export function livePath(state: ViewState): string {
  const query = filterParams(state).toString();
  return query ? `/api/live?${query}` : '/api/live';
}
