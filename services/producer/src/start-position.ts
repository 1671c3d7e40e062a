import { ErrorCode, WikistreamError } from '@wikistream/shared';
import { checkCursorOwner } from './cursor-owner.ts';
import { type CursorOwner, decodeCursor } from './cursor-record.ts';
import type { IngestStart } from './ingest.ts';
import type { StoredRecord } from './kafka-port.ts';

export interface StartPolicy {
  readonly producerId: string;
  /** This producer's stream and topic. */
  readonly owner: CursorOwner;
  readonly since: number | undefined;
  /** RESET_CURSOR: drop a cursor that belongs to another stream or topic instead of refusing it. */
  readonly reset: boolean;
}

export interface StartDecision {
  readonly start: IngestStart;
  /** What happened to the stored cursor, for the start-up log line. */
  readonly cursor: 'none' | 'resumed' | 'adopted' | 'unusable' | 'reset';
}

/**
 * Where the producer starts: from its stored cursor when that is this configuration's; from SINCE
 * (or live) when there is none. A cursor of another stream or topic is refused — its position
 * means nothing here, and its dedupe window would drop events this topic never had — unless
 * RESET_CURSOR drops it, which records a gap. A cursor written before owners were recorded is
 * taken as this configuration's; the next commit rewrites it with the owner.
 */
export function decideStart(stored: StoredRecord | undefined, policy: StartPolicy): StartDecision {
  const { since } = policy;
  if (!stored) return { start: { since }, cursor: 'none' };
  const cursor = decodeCursor(stored.value);
  if (!cursor) return { start: { since, unusableCursorAt: stored.timestamp }, cursor: 'unusable' };
  const check = checkCursorOwner(cursor, policy.owner, policy.producerId);
  if (check.kind === 'same') return { start: { cursor }, cursor: 'resumed' };
  if (check.kind === 'unrecorded') return { start: { cursor }, cursor: 'adopted' };
  if (!policy.reset) {
    throw new WikistreamError(ErrorCode.CursorMismatch, check.message, {
      details: { stored: cursor.owner, current: policy.owner, producerId: policy.producerId },
    });
  }
  const detail = `cursor reset (RESET_CURSOR): it was ${cursor.owner?.stream} into ${cursor.owner?.topic}`;
  return { start: { since, reset: { at: cursor.committedAt || stored.timestamp, detail } }, cursor: 'reset' };
}
