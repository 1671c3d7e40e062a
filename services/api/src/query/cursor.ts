import { LIMITS } from '../limits.ts';

/**
 * Paging position: the sort values of the last event of a page (`meta.dt` in ms, `meta.id`), as
 * base64url JSON. Opaque to clients, validated on the way back in.
 */
export type SortValues = readonly [number, string];

export function encodeCursor(sort: SortValues): string {
  return Buffer.from(JSON.stringify(sort)).toString('base64url');
}

export function decodeCursor(cursor: string): SortValues | undefined {
  if (cursor.length > LIMITS.cursorLength || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [dt, id] = value as unknown[];
  if (!Number.isSafeInteger(dt) || typeof id !== 'string' || id.length === 0 || id.length > 256)
    return undefined;
  return [dt as number, id];
}
