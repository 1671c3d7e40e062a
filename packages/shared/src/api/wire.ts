import type { EditorKind } from '../editor/editor-kind.ts';

/**
 * The JSON the API sends, as TypeScript types. The API's request/response schemas must match
 * these (it asserts so at compile time); the dashboard reads them. Field names are camelCase;
 * times are ISO 8601 strings in UTC; counts are plain numbers.
 */

/** Filters every data route accepts (query string). */
export interface EventFilters {
  /** One or more wiki ids (`enwiki`), comma-separated in the query string. */
  wiki?: string[];
  /** One or more of edit, new, log, categorize, external; comma-separated. */
  type?: string[];
  bot?: boolean;
  /** Temporary accounts and IP addresses (`editorKind=temporary,ip`). */
  anonymous?: boolean;
  /** One or more of registered, temporary, ip, bot; comma-separated. */
  editorKind?: EditorKind[];
  /** One or more namespace numbers; comma-separated. */
  namespace?: number[];
  /** Inclusive lower bound on the event time (`meta.dt`), ISO 8601. */
  from?: string;
  /** Exclusive upper bound on the event time, ISO 8601. */
  to?: string;
}

/** One change, as the API shows it. Untrusted text (title, user, comment) is never HTML. */
export interface EventSummary {
  /** `meta.id` */
  id: string;
  /** `meta.dt` */
  dt: string;
  wiki: string | null;
  /** e.g. `https://en.wikipedia.org`; links are built from it. */
  serverUrl: string | null;
  type: string;
  namespace: number | null;
  title: string | null;
  /** Absent when the upstream redacted it. */
  user: string | null;
  bot: boolean;
  /** Logged out: a temporary account or an IP address. */
  anonymous: boolean;
  editorKind: EditorKind;
  minor: boolean | null;
  comment: string | null;
  byteDelta: number | null;
  revision: { old: number | null; new: number | null } | null;
  logType: string | null;
  logAction: string | null;
}

/** GET /api/events (format=json, the default). */
export interface EventsPage {
  total: number;
  /** `gte` when the total was capped while counting. */
  totalRelation: 'eq' | 'gte';
  events: EventSummary[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface Totals {
  events: number;
  edits: number;
  newPages: number;
  logs: number;
  categorize: number;
  bots: number;
  /** Registered accounts that are not bots (`registered`, under its older name). */
  humans: number;
  registered: number;
  /** Temporary accounts (`~2025-12345-67`), not bots. */
  temporary: number;
  /** IP addresses, not bots. */
  ip: number;
  /** `temporary + ip`: logged-out editors. */
  anonymous: number;
  activeWikis: number;
  activeUsers: number;
  bytesAdded: number;
  bytesRemoved: number;
}

export interface SeriesPoint {
  /** Start of the bucket. */
  t: string;
  bot: number;
  /** `registered`, under its older name. */
  human: number;
  registered: number;
  temporary: number;
  ip: number;
  /** `temporary + ip` */
  anonymous: number;
}

export interface KeyCount<K = string> {
  key: K;
  count: number;
}

/** GET /api/stats — canary events are never counted. */
export interface StatsResponse {
  range: { from: string; to: string; interval: string };
  totals: Totals;
  /** The same totals for the period of equal length just before `range.from`. */
  previous: Totals;
  /** Events per minute over the last full minute before `range.to`. */
  eventsPerMinute: number;
  series: SeriesPoint[];
  topWikis: (KeyCount & { serverUrl: string | null })[];
  topPages: { wiki: string; title: string; serverUrl: string | null; count: number }[];
  topEditors: {
    user: string;
    count: number;
    bot: boolean;
    anonymous: boolean;
    kind: EditorKind;
    wiki: string | null;
    serverUrl: string | null;
  }[];
  types: KeyCount[];
  namespaces: KeyCount<number>[];
  /**
   * Present only for very large ranges: topPages and topEditors were then estimated from a uniform
   * random sample of this fraction of the events (their counts scaled back up). Everything else is exact.
   */
  sampleRate?: number;
}

export interface TrendingItem {
  wiki: string;
  /** Null for a trending wiki. */
  title: string | null;
  serverUrl: string | null;
  /** Events in the recent window. */
  recent: number;
  /** Events expected in a window of that length, from the baseline period. */
  expected: number;
  ratio: number;
}

/** GET /api/trending */
export interface TrendingResponse {
  window: { from: string; to: string };
  baseline: { from: string; to: string };
  pages: TrendingItem[];
  wikis: TrendingItem[];
}

/** GET /api/pipeline */
export interface PipelineResponse {
  generatedAt: string;
  freshness: {
    newestEventDt: string | null;
    newestIndexedAt: string | null;
    /** Seconds since the newest indexed event happened; null when nothing is indexed. */
    ageSeconds: number | null;
  };
  lag: { partition: number; committedOffset: string; endOffset: string; lag: number }[];
  totalLag: number;
  rates: { inPerSecond: number; outPerSecond: number };
  latency: { p50Ms: number | null; p99Ms: number | null; sampleSize: number };
  deadLetters: { total: number; byReason: KeyCount[] };
  gaps: { from: string; to: string; reason: string; detectedAt: string; detail?: string }[];
  /** The indexer consumer group: its state and its members, each with the data partitions it owns. */
  indexers: { state: string; members: IndexerMember[] };
  /** What the indexers saw of the upstream schema over the last 24 h. */
  drift: SchemaDrift;
  /** Parts that could not be read (e.g. Kafka down); the rest is still served. */
  unavailable: string[];
}

/**
 * Schema drift: the events of each `$schema` version and the top-level fields outside the event
 * contract, as the indexers counted them (each flushes its counters every few seconds).
 */
export interface SchemaDrift {
  /** The window counted: the last 24 hours. */
  from: string;
  to: string;
  /**
   * Per version, most events first. `$schema`, or `meta.schema_uri` for legacy events; `(none)` for
   * events naming neither, `(other)` for versions past the indexers' cap per minute.
   */
  schemas: SchemaVersionDrift[];
}

export interface SchemaVersionDrift {
  schema: string;
  events: number;
  /** Top-level fields outside the contract, most frequent first: kept in `_source`, never mapped. */
  unknownFields: UnknownField[];
  /** Unknown-field occurrences not listed: names past the indexers' cap, or past the list's length. */
  otherFields: number;
}

export interface UnknownField {
  name: string;
  count: number;
  /** The earliest sighting the drift indices still hold (they are kept RETENTION_DAYS). */
  firstSeen: string;
}

export interface IndexerMember {
  /** The member id Kafka gave it (client id and a unique suffix). */
  memberId: string;
  /** Where it connects from, as the broker sees it. */
  host: string;
  partitions: number[];
}

/** GET /api/health */
export interface HealthResponse {
  status: 'ok';
  version: string;
  uptimeSeconds: number;
}

/** GET /api/ready (503 when not ready) */
export interface ReadyResponse {
  ready: boolean;
  elasticsearch: 'up' | 'down';
  kafka: 'up' | 'down';
}

/** GET /api/dlq */
export interface DeadLetterEntry {
  partition: number;
  offset: string;
  reason: string;
  detail: string;
  stage: string;
  failedAt: string;
  sourceTopic: string | null;
  sourcePartition: number | null;
  sourceOffset: string | null;
  /** The first bytes of the original record, as text. */
  preview: string;
  size: number;
}

export interface DeadLetterList {
  total: number;
  byReason: KeyCount[];
  entries: DeadLetterEntry[];
}

/** POST /api/dlq/redrive */
export interface RedriveResponse {
  redriven: number;
}

/** Every error answer. */
export interface ApiError {
  code: string;
  message: string;
  /** The offending parameter, for 400s. */
  field?: string;
}

/**
 * GET /api/live — Server-Sent Events:
 * - `event: change`, `id: <resume token>`, `data: EventSummary`
 * - `event: skipped`, `data: { "skipped": n }` when a slow client lost the n oldest events
 * - comment lines as heartbeats
 */
export const LIVE_EVENT = { change: 'change', skipped: 'skipped' } as const;
