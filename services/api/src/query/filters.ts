import { EDITOR_KINDS, type EditorKind } from '@wikistream/shared';
import { invalidParameter } from '../http/api-error.ts';
import { FIELD_HINTS } from '../schemas/query-schemas.ts';

/** The query-string filters, parsed and checked: every data route and the live feed take them. */
export interface Filters {
  readonly wikis?: readonly string[];
  readonly types?: readonly string[];
  readonly bot?: boolean;
  readonly anonymous?: boolean;
  readonly editorKinds?: readonly EditorKind[];
  readonly namespaces?: readonly number[];
  /** ms since epoch, inclusive */
  readonly from?: number;
  /** ms since epoch, exclusive */
  readonly to?: number;
}

export interface FilterQuery {
  wiki?: string | undefined;
  type?: string | undefined;
  bot?: boolean | undefined;
  anonymous?: boolean | undefined;
  editorKind?: string | undefined;
  namespace?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const NAMESPACE_MIN = -2;
const NAMESPACE_MAX = 2_147_483_647;
/** Elasticsearch dates and JavaScript dates agree inside these years. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);

function splitList(value: string | undefined): string[] | undefined {
  if (value === undefined || value === '') return undefined;
  return [...new Set(value.split(','))];
}

function parseTime(field: 'from' | 'to', value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || ms < EARLIEST || ms > LATEST)
    throw invalidParameter(field, FIELD_HINTS[field] ?? 'is not a valid date-time');
  return ms;
}

function parseNamespaces(value: string | undefined): number[] | undefined {
  const items = splitList(value);
  if (!items) return undefined;
  return items.map((item) => {
    const namespace = Number(item);
    if (!Number.isInteger(namespace) || namespace < NAMESPACE_MIN || namespace > NAMESPACE_MAX)
      throw invalidParameter('namespace', `must hold integers from ${NAMESPACE_MIN} to ${NAMESPACE_MAX}`);
    return namespace;
  });
}

function parseEditorKinds(value: string | undefined): EditorKind[] | undefined {
  const items = splitList(value);
  if (!items) return undefined;
  for (const item of items) {
    if (!(EDITOR_KINDS as readonly string[]).includes(item))
      throw invalidParameter('editorKind', FIELD_HINTS.editorKind ?? 'is not a kind of editor');
  }
  return items as EditorKind[];
}

/** Throws a 400 naming the field for anything the schema could not rule out. */
export function parseFilters(query: FilterQuery): Filters {
  const from = parseTime('from', query.from);
  const to = parseTime('to', query.to);
  if (from !== undefined && to !== undefined && from >= to)
    throw invalidParameter('from', 'must be before to');
  const wikis = splitList(query.wiki);
  const types = splitList(query.type);
  const namespaces = parseNamespaces(query.namespace);
  const editorKinds = parseEditorKinds(query.editorKind);
  return {
    ...(wikis ? { wikis } : {}),
    ...(types ? { types } : {}),
    ...(query.bot === undefined ? {} : { bot: query.bot }),
    ...(query.anonymous === undefined ? {} : { anonymous: query.anonymous }),
    ...(editorKinds ? { editorKinds } : {}),
    ...(namespaces ? { namespaces } : {}),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
  };
}

/** A [from, to) range: the given bounds, or the `defaultMs` before `to` (default: now). */
export function resolveRange(filters: Filters, now: number, defaultMs: number): { from: number; to: number } {
  const to =
    filters.to ?? (filters.from !== undefined && filters.from >= now ? filters.from + defaultMs : now);
  const from = filters.from ?? to - defaultMs;
  return { from, to };
}
