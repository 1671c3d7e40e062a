import { editorKindsClause } from './editor-kind-query.ts';
import type { Filters } from './filters.ts';

/** An Elasticsearch query clause, as plain data. */
export type Clause = Record<string, unknown>;

/** Canary events prove the upstream is alive; they are never shown or counted. */
export const NOT_CANARY: Clause = { term: { 'meta.domain': 'canary' } };

export function timeRange(from: number | undefined, to: number | undefined, field = 'meta.dt'): Clause {
  return {
    range: {
      [field]: {
        ...(from === undefined ? {} : { gte: from }),
        ...(to === undefined ? {} : { lt: to }),
        format: 'epoch_millis',
      },
    },
  };
}

/** The filter clauses every read shares (without the time range). */
export function attributeClauses(filters: Filters): Clause[] {
  const clauses: Clause[] = [];
  if (filters.wikis) clauses.push({ terms: { wiki: filters.wikis } });
  if (filters.types) clauses.push({ terms: { type: filters.types } });
  if (filters.bot !== undefined) clauses.push({ term: { bot: filters.bot } });
  if (filters.anonymous !== undefined) clauses.push({ term: { is_anonymous: filters.anonymous } });
  if (filters.editorKinds) clauses.push(editorKindsClause(filters.editorKinds));
  if (filters.namespaces) clauses.push({ terms: { namespace: filters.namespaces } });
  return clauses;
}

/** Filters (and an optional explicit range) as one non-scoring bool query. */
export function filterQuery(
  filters: Filters,
  range?: { from: number; to: number },
  extra: Clause[] = [],
): Clause {
  const from = range ? range.from : filters.from;
  const to = range ? range.to : filters.to;
  const clauses = [...attributeClauses(filters), ...extra];
  if (from !== undefined || to !== undefined) clauses.push(timeRange(from, to));
  return { bool: { filter: clauses, must_not: [NOT_CANARY] } };
}
