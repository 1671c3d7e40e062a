import type { EditorKind } from '@wikistream/shared';
import type { Clause } from './filter-query.ts';

/**
 * The kinds of editor as Elasticsearch clauses, for raw documents and rollup cells alike. Documents
 * indexed before `editor_kind` existed have only `bot` and `is_anonymous` (which then meant an IP
 * address): they count as `ip` or `registered` until `pnpm reindex` re-derives them. So every
 * clause holds for both: the bot flag wins, `is_anonymous` splits logged-out from registered, and
 * `editor_kind` tells temporary accounts from IP addresses.
 */
const BOT: Clause = { term: { bot: true } };
const LOGGED_OUT: Clause = { term: { is_anonymous: true } };
const TEMPORARY_KIND: Clause = { term: { editor_kind: 'temporary' } };

export const EDITOR_KIND_CLAUSES: Readonly<Record<EditorKind, Clause>> = {
  bot: BOT,
  temporary: { bool: { filter: [TEMPORARY_KIND], must_not: [BOT] } },
  ip: { bool: { filter: [LOGGED_OUT], must_not: [BOT, TEMPORARY_KIND] } },
  registered: { bool: { must_not: [BOT, LOGGED_OUT] } },
};

/** Any of the kinds. */
export function editorKindsClause(kinds: readonly EditorKind[]): Clause {
  return { bool: { should: kinds.map((kind) => EDITOR_KIND_CLAUSES[kind]), minimum_should_match: 1 } };
}
