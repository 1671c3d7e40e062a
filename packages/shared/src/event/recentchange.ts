/**
 * The `mediawiki/recentchange` event as it arrives from EventStreams, in both its current
 * (2020+) and legacy (2017–2019) shapes. See ../shared/design/EVENTSTREAMS.md §4.
 * The upstream schema is deliberately permissive (additionalProperties: true), so unknown
 * fields are kept and passed on unchanged.
 */
export const KNOWN_EVENT_TYPES = ['edit', 'new', 'log', 'categorize', 'external'] as const;
export type KnownEventType = (typeof KNOWN_EVENT_TYPES)[number];

export interface RecentChangeMeta {
  /** Unique event id (UUID); the dedupe key and the Elasticsearch `_id`. */
  id: string;
  /** Event time, ISO 8601; `Z` today, `+00:00`-style offsets in legacy events. */
  dt: string;
  domain?: string;
  stream?: string;
  uri?: string;
  request_id?: string;
  topic?: string;
  partition?: number;
  offset?: number;
  /** Legacy events name their schema here instead of `$schema`. */
  schema_uri?: string;
  [key: string]: unknown;
}

export interface RevisionPair {
  old?: number | null;
  new?: number | null;
}

export type LogParams = Record<string, unknown> | unknown[] | string;

export interface RecentChangeEvent {
  $schema?: string;
  meta: RecentChangeMeta;
  /** rcid; null or absent for some log events (AbuseFilter hits, patrol, thanks …). */
  id?: number | null;
  /** One of the known five, but the schema also admits other strings and numbers. */
  type?: KnownEventType | (string & {}) | number;
  namespace?: number;
  title?: string;
  title_url?: string;
  comment?: string;
  parsedcomment?: string;
  /** Unix seconds. */
  timestamp?: number;
  /** Absent when EventStreams redacted it. */
  user?: string;
  bot?: boolean;
  minor?: boolean;
  patrolled?: boolean;
  notify_url?: string;
  server_url?: string;
  server_name?: string;
  server_script_path?: string;
  wiki?: string;
  length?: RevisionPair;
  revision?: RevisionPair;
  log_id?: number | null;
  log_type?: string | null;
  log_action?: string;
  log_params?: LogParams;
  log_action_comment?: string;
  [key: string]: unknown;
}

/** The top-level fields RecentChangeEvent declares by name (its index signature aside). */
export type RecentChangeField = keyof {
  [K in keyof RecentChangeEvent as string extends K ? never : K]: RecentChangeEvent[K];
};

/** Canary events prove the upstream is alive and are never counted or indexed. */
export function isCanary(event: { meta: { domain?: string } }): boolean {
  return event.meta.domain === 'canary';
}
