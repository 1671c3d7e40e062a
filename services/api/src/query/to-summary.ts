import {
  byteDelta,
  EDITOR_KINDS,
  type EditorKind,
  type EventSummary,
  editorKind,
  type RecentChangeEvent,
} from '@wikistream/shared';
import { LIMITS } from '../limits.ts';

/** A stored document or a live event: the event, maybe with the fields the pipeline derives. */
export type SummarySource = RecentChangeEvent & {
  byte_delta?: number | null;
  is_anonymous?: boolean;
  editor_kind?: string;
};

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const int = (value: unknown): number | null => (Number.isSafeInteger(value) ? (value as number) : null);
const flag = (value: unknown): boolean | null => (typeof value === 'boolean' ? value : null);

function cut(value: string | null): string | null {
  return value !== null && value.length > LIMITS.commentLength
    ? `${value.slice(0, LIMITS.commentLength)}…`
    : value;
}

function isoTime(dt: unknown): string {
  const ms = typeof dt === 'string' || typeof dt === 'number' ? new Date(dt).getTime() : Number.NaN;
  return Number.isNaN(ms) ? String(dt) : new Date(ms).toISOString();
}

/**
 * The stored kind and logged-out flag; a document indexed before editor kinds (or a live event)
 * gets both from its name and bot flag, as the indexer derives them now.
 */
function editor(event: SummarySource): { kind: EditorKind; anonymous: boolean } {
  if (
    (EDITOR_KINDS as readonly unknown[]).includes(event.editor_kind) &&
    typeof event.is_anonymous === 'boolean'
  )
    return { kind: event.editor_kind as EditorKind, anonymous: event.is_anonymous };
  const kind = editorKind(event);
  const loggedOut = editorKind({ user: event.user }) !== 'registered';
  return { kind, anonymous: loggedOut };
}

/** Pure: what the API shows of one change. Never trusts the shape of stored data. */
export function toSummary(event: SummarySource): EventSummary {
  const user = text(event.user);
  const revision = event.revision;
  const delta = event.byte_delta === undefined ? byteDelta(event) : event.byte_delta;
  const { kind, anonymous } = editor(event);
  return {
    id: String(event.meta.id),
    dt: isoTime(event.meta.dt),
    wiki: text(event.wiki),
    serverUrl: text(event.server_url),
    type: event.type === undefined || event.type === null ? 'unknown' : String(event.type),
    namespace: int(event.namespace),
    title: text(event.title),
    user,
    bot: event.bot === true,
    anonymous,
    editorKind: kind,
    minor: flag(event.minor),
    comment: cut(text(event.comment)),
    byteDelta: int(delta),
    revision:
      typeof revision === 'object' && revision !== null
        ? { old: int(revision.old), new: int(revision.new) }
        : null,
    logType: text(event.log_type),
    logAction: text(event.log_action),
  };
}

/** The stored fields toSummary reads, for `_source` filtering. */
export const SUMMARY_SOURCE_FIELDS = [
  'meta.id',
  'meta.dt',
  'wiki',
  'server_url',
  'type',
  'namespace',
  'title',
  'user',
  'bot',
  'is_anonymous',
  'editor_kind',
  'minor',
  'comment',
  'byte_delta',
  'length',
  'revision',
  'log_type',
  'log_action',
] as const;
