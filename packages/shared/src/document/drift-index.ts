import { dailyIndexName } from '../index-name.ts';

/**
 * Schema drift accounting, shared by its writers (every indexer) and its reader (the api): per minute,
 * what each indexer saw of each `$schema` version and of top-level fields outside the contract
 * (KNOWN_EVENT_FIELDS). Daily indices `<prefix>_drift-YYYY.MM.DD`, which the data pattern `<prefix>-*`
 * does not match, deleted after RETENTION_DAYS like the data.
 */
export const DRIFT_KINDS = {
  /** Events of one schema version in one minute, by one indexer. */
  events: 'events',
  /** Occurrences of one unknown field in one minute, by one indexer. */
  field: 'field',
  /** Occurrences of unknown fields past the indexer's cap of names per schema and minute. */
  otherFields: 'other_fields',
  /** When one indexer first saw a field that day: written create-only, so the earliest stays. */
  firstSeen: 'first_seen',
} as const;
export type DriftKind = (typeof DRIFT_KINDS)[keyof typeof DRIFT_KINDS];

/** Schema labels for events that name none, and for versions past the indexer's cap per minute. */
export const DRIFT_SCHEMA_LABELS = { none: '(none)', other: '(other)' } as const;

export interface DriftDocument {
  kind: DriftKind;
  /** The indexer instance that counted (a process: a restarted indexer is a new one). */
  member: string;
  /** `$schema`, legacy `meta.schema_uri`, or a DRIFT_SCHEMA_LABELS label. */
  schema: string;
  /** The unknown field (kinds `field` and `first_seen`). */
  field?: string;
  /** Start of the minute counted, ISO 8601 (kinds `events`, `field`, `other_fields`). */
  minute?: string;
  count?: number;
  /** ISO 8601 (kind `first_seen`). */
  first_seen?: string;
}

const keyword = { type: 'keyword', ignore_above: 512 } as const;

/** Explicit and not dynamic, like the data: nothing a stream sends becomes a mapped field here either. */
export const DRIFT_MAPPING = {
  dynamic: false,
  properties: {
    kind: { type: 'keyword' },
    member: keyword,
    schema: keyword,
    field: keyword,
    minute: { type: 'date' },
    count: { type: 'long' },
    first_seen: { type: 'date' },
  },
} as const satisfies { dynamic: false; properties: Record<keyof DriftDocument, unknown> };

/** `<prefix>_drift`: not matched by the data pattern `<prefix>-*`. */
export function driftPrefix(prefix: string): string {
  return `${prefix}_drift`;
}

/** The daily drift index of a time (ms since epoch). */
export function driftIndexName(prefix: string, ms: number): string {
  return dailyIndexName(driftPrefix(prefix), new Date(ms));
}

export function driftIndexPattern(prefix: string): string {
  return `${driftPrefix(prefix)}-*`;
}

export function driftTemplateName(prefix: string): string {
  return `${driftPrefix(prefix)}-template`;
}

/** The body of `PUT _index_template/<driftTemplateName>`. */
export function driftTemplate(prefix: string) {
  return {
    index_patterns: [driftIndexPattern(prefix)],
    priority: 100,
    _meta: { managed_by: 'wikistream' },
    template: {
      settings: { number_of_shards: 1, number_of_replicas: 0 },
      mappings: DRIFT_MAPPING,
    },
  };
}
