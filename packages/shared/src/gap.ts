/**
 * A stretch of time the pipeline knows it has not seen. Written by the producer to the gap
 * ledger topic (`wikistream.gaps`), read by the API and drawn by the dashboard. Never hidden.
 */
export const GapReason = {
  /** Resumed with a cursor, but the first event was far newer: the upstream had dropped our position. */
  CursorExpired: 'cursor_expired',
  /** The producer had run before but had no usable cursor and started at "now". */
  StartedLive: 'started_live',
  /** The stored cursor belonged to another upstream or topic and was dropped on purpose (RESET_CURSOR). */
  CursorReset: 'cursor_reset',
  /** The upstream redirected to another origin; the producer does not follow, so it reads nothing. */
  RedirectRefused: 'redirect_refused',
} as const;
export type GapReason = (typeof GapReason)[keyof typeof GapReason];

export interface GapRecord {
  /** Last event time known before the gap (ISO 8601). */
  readonly from: string;
  /** First event time seen after the gap (ISO 8601). */
  readonly to: string;
  readonly reason: GapReason;
  readonly detectedAt: string;
  readonly detail?: string;
}

export function encodeGap(gap: GapRecord): Buffer {
  return Buffer.from(JSON.stringify(gap));
}

export function decodeGap(value: Buffer | string | null): GapRecord | undefined {
  if (value === null) return undefined;
  try {
    const parsed = JSON.parse(value.toString()) as Partial<GapRecord>;
    if (
      typeof parsed.from !== 'string' ||
      typeof parsed.to !== 'string' ||
      typeof parsed.reason !== 'string'
    ) {
      return undefined;
    }
    return parsed as GapRecord;
  } catch {
    return undefined;
  }
}
