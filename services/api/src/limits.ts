/** Fixed limits and windows of the api, in one place (tunable ones live in config.ts). */
export const LIMITS = {
  /** Items in one comma-separated filter. */
  listItems: 50,
  pageSize: 100,
  /** Characters of `q`; longer input is refused rather than cut. */
  queryLength: 200,
  cursorLength: 512,
  topItems: 50,
  /** Events per Elasticsearch request while streaming an export. */
  exportPage: 1_000,
  /** Characters of a comment in an EventSummary. */
  commentLength: 2_000,
  deadLetterEntries: 200,
  deadLetterPreviewBytes: 500,
  redriveMax: 1_000,
  gapRecords: 1_000,
  /** Largest total Elasticsearch counts exactly for a search. */
  trackTotalHits: 10_000,
  /** Schema versions /api/pipeline lists, and unknown fields per version. */
  driftSchemas: 20,
  driftFields: 50,
} as const;

/** Seconds a refused client is told to wait (Retry-After) before trying again. */
export const RETRY_AFTER_SECONDS = {
  /** Queries mostly finish within a second; a refused one is tried again soon. */
  query: 1,
  /** An export streams for seconds. */
  export: 5,
  /** A live slot frees when a stream ends or its client goes. */
  live: 5,
  /** Elasticsearch or Kafka unreachable. */
  unavailable: 5,
} as const;

export const WINDOWS = {
  /** Stats and trending default to the last hour when `from`/`to` are absent. */
  defaultRangeMs: 3_600_000,
  trendingWindowMs: 15 * 60_000,
  trendingBaselineMs: 3 * 3_600_000,
  /** Latency percentiles and the out-rate use documents indexed this recently. */
  pipelineRecentMs: 5 * 60_000,
  rateWindowMs: 60_000,
  /** Schema drift is summed over this window. */
  driftWindowMs: 24 * 3_600_000,
} as const;

export const TRENDING = {
  ratio: 3,
  minPageEvents: 5,
  minWikiEvents: 30,
  candidates: 200,
} as const;

export const ROLLUP = {
  /** A period gets rollup cells only when at least this much of it is whole, rolled-up minutes. */
  minCoreMs: 10 * 60_000,
  /** A minute is rolled up this long after it ends (events arrive late through the pipeline). */
  settleMs: 60_000,
  /** The most recent rolled-up minutes are computed again on every pass, for late events. */
  recomputeMs: 10 * 60_000,
  /** Raw documents read per rollup request (one hour of minutes at a time). */
  chunkMs: 3_600_000,
} as const;

export const SAMPLING = {
  /** Top lists over more events than this are estimated from a random sample ... */
  above: 500_000,
  /** ... of about this many events. */
  target: 150_000,
} as const;
