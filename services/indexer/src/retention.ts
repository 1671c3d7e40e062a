import { parseDailyIndexName } from '@wikistream/shared';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Pure: the UTC day (its start) a daily index holds — `<prefix>-YYYY.MM.DD` or one of its rebuilt
 * versions `<prefix>-YYYY.MM.DD-vN` — or undefined for other names.
 */
export function indexDay(name: string, prefix: string): Date | undefined {
  const parsed = parseDailyIndexName(prefix, name);
  return parsed === undefined ? undefined : new Date(parsed.start);
}

/**
 * Pure: the daily indices of `prefix` to delete, every version of a day alike (a day's alias goes
 * with its last index). An index expires once its whole day is older than `retentionDays` (its end
 * + retentionDays ≤ now), so every event of the last `retentionDays × 24 h` stays searchable. Names
 * that are not daily indices of this prefix are never selected.
 */
export function expiredIndices(
  names: readonly string[],
  prefix: string,
  retentionDays: number,
  now: Date,
): string[] {
  return names
    .filter((name) => {
      const day = indexDay(name, prefix);
      return day !== undefined && day.getTime() + DAY_MS + retentionDays * DAY_MS <= now.getTime();
    })
    .sort();
}
