import type { CursorOwner, CursorRecord } from './cursor-record.ts';

/** The stream URL as a cursor records it: credentials never leave the process. */
export function streamIdentity(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}

export type OwnerCheck =
  | { readonly kind: 'same' }
  /** A record from before owners were recorded: taken as this configuration's, rewritten on commit. */
  | { readonly kind: 'unrecorded' }
  | { readonly kind: 'other'; readonly message: string };

/**
 * Whether a stored cursor may be applied by a producer with this configuration. A position in
 * another stream means nothing here, and its dedupe window would drop events this topic never had.
 */
export function checkCursorOwner(cursor: CursorRecord, current: CursorOwner, producerId: string): OwnerCheck {
  const stored = cursor.owner;
  if (stored === undefined) return { kind: 'unrecorded' };
  if (stored.stream === current.stream && stored.topic === current.topic) return { kind: 'same' };
  const differs = [
    stored.stream === current.stream ? '' : 'upstream',
    stored.topic === current.topic ? '' : 'topic',
  ].filter(Boolean);
  return {
    kind: 'other',
    message:
      `the cursor of PRODUCER_ID "${producerId}" belongs to another ${differs.join(' and ')}: ` +
      `it was written reading ${stored.stream} into topic ${stored.topic}, ` +
      `but this producer reads ${current.stream} into topic ${current.topic}. ` +
      `Refusing to resume from it. Either give this configuration its own PRODUCER_ID, ` +
      `or start with RESET_CURSOR=1 (or --reset-cursor) to drop that position and start from SINCE ` +
      `(or live), which records a gap.`,
  };
}
