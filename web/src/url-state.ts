import type { EditorKind } from '@wikistream/shared';
import { EDITOR_KINDS, isEditorKind } from './editor-kinds.ts';

/**
 * The dashboard's view (time range, filters, search query, refresh interval) as URL query
 * parameters, so a view can be shared and a reload restores it. Pure: string in, state out.
 * Decoding is forgiving: a parameter that does not parse is dropped, never an error.
 */

export const RANGE_PRESETS = ['15m', '1h', '24h', '7d'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export type RangeChoice = RangePreset | 'custom';

export const EVENT_TYPES = ['edit', 'new', 'log', 'categorize', 'external'] as const;
export const REFRESH_CHOICES = [0, 10, 30, 60, 300] as const;

export interface ViewState {
  readonly range: RangeChoice;
  /** Custom range bounds (ISO 8601), set only when `range` is `custom`. */
  readonly from: string | null;
  readonly to: string | null;
  readonly wiki: readonly string[];
  readonly type: readonly string[];
  /** Kinds of editor to show, in EDITOR_KINDS order; empty shows every kind. */
  readonly editorKind: readonly EditorKind[];
  readonly namespace: readonly number[];
  readonly q: string;
  /** Auto-refresh period in seconds; 0 turns it off. */
  readonly refresh: number;
}

export const DEFAULT_STATE: ViewState = Object.freeze({
  range: '1h',
  from: null,
  to: null,
  wiki: [],
  type: [],
  editorKind: [],
  namespace: [],
  q: '',
  refresh: 30,
});

/** The API's own limits: lower-case wiki ids, 50 list items, 200 characters of query. */
const WIKI_ID = /^[a-z0-9_-]{1,64}$/;
const MAX_LIST = 20;
const MAX_QUERY = 200;

function splitList(value: string | null): string[] {
  if (!value) return [];
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return [...new Set(items)].slice(0, MAX_LIST);
}

export function parseWikis(value: string | null): string[] {
  return splitList(value?.toLowerCase() ?? null).filter((wiki) => WIKI_ID.test(wiki));
}

export function parseTypes(value: string | null): string[] {
  return splitList(value).filter((type) => (EVENT_TYPES as readonly string[]).includes(type));
}

export function parseNamespaces(value: string | null): number[] {
  return splitList(value)
    .filter((item) => /^-?\d{1,6}$/.test(item))
    .map(Number)
    .filter((n) => n >= -2);
}

/** Known kinds only, in one order, so equal views have equal URLs. */
export function parseEditorKinds(value: string | null): EditorKind[] {
  const items = splitList(value).filter(isEditorKind);
  return EDITOR_KINDS.filter((kind) => items.includes(kind));
}

/**
 * URLs from before the four kinds had two yes/no filters; they still open the view they meant.
 * `anonymous=true` (logged out) maps to temporary accounts and IP addresses, `anonymous=false`
 * to registered accounts and bots; `bot=true` maps to bots, `bot=false` to the three other kinds.
 * Together they keep the kinds both allow. `anonymous=true&bot=true` allows none (no bot is
 * logged out) and, since no kinds means every kind, becomes no filter. Read only when the URL
 * has no `editorKind`, and never written again.
 */
function legacyEditorKinds(params: URLSearchParams): EditorKind[] {
  const anonymous = parseBoolean(params.get('anonymous'));
  const bot = parseBoolean(params.get('bot'));
  const kinds = EDITOR_KINDS.filter(
    (kind) =>
      (anonymous === null || (kind === 'temporary' || kind === 'ip') === anonymous) &&
      (bot === null || (kind === 'bot') === bot),
  );
  return kinds.length === EDITOR_KINDS.length ? [] : kinds;
}

function parseBoolean(value: string | null): boolean | null {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}

function parseIso(value: string | null): string | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function parseRange(params: URLSearchParams): Pick<ViewState, 'range' | 'from' | 'to'> {
  const range = params.get('range');
  if ((RANGE_PRESETS as readonly string[]).includes(range ?? '')) {
    return { range: range as RangePreset, from: null, to: null };
  }
  if (range === 'custom') {
    const from = parseIso(params.get('from'));
    const to = parseIso(params.get('to'));
    if (from && to && Date.parse(from) < Date.parse(to)) return { range: 'custom', from, to };
  }
  return { range: DEFAULT_STATE.range, from: null, to: null };
}

function parseRefresh(value: string | null): number {
  const seconds = Number(value);
  return value !== null && (REFRESH_CHOICES as readonly number[]).includes(seconds)
    ? seconds
    : DEFAULT_STATE.refresh;
}

/** `location.search` (with or without the leading `?`) → state. */
export function decodeState(search: string): ViewState {
  const params = new URLSearchParams(search);
  return {
    ...parseRange(params),
    wiki: parseWikis(params.get('wiki')),
    type: parseTypes(params.get('type')),
    editorKind: params.has('editorKind')
      ? parseEditorKinds(params.get('editorKind'))
      : legacyEditorKinds(params),
    namespace: parseNamespaces(params.get('namespace')),
    q: (params.get('q') ?? '').trim().slice(0, MAX_QUERY),
    refresh: parseRefresh(params.get('refresh')),
  };
}

/** State → query string without `?`; defaults are left out so URLs stay short. Stable order. */
export function encodeState(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.range !== DEFAULT_STATE.range) params.set('range', state.range);
  if (state.range === 'custom' && state.from && state.to) {
    params.set('from', state.from);
    params.set('to', state.to);
  }
  if (state.wiki.length > 0) params.set('wiki', state.wiki.join(','));
  if (state.type.length > 0) params.set('type', state.type.join(','));
  if (state.editorKind.length > 0) params.set('editorKind', state.editorKind.join(','));
  if (state.namespace.length > 0) params.set('namespace', state.namespace.join(','));
  if (state.q) params.set('q', state.q);
  if (state.refresh !== DEFAULT_STATE.refresh) params.set('refresh', String(state.refresh));
  return params.toString();
}

/** True when any filter (not range, query or refresh) differs from the default. */
export function hasFilters(state: ViewState): boolean {
  return (
    state.wiki.length > 0 ||
    state.type.length > 0 ||
    state.editorKind.length > 0 ||
    state.namespace.length > 0
  );
}
