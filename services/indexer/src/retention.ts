const DAY_MS = 24 * 3600 * 1000;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Pure: the UTC day (its start) a daily index `<prefix>-YYYY.MM.DD` holds, or undefined for other names. */
export function indexDay(name: string, prefix: string): Date | undefined {
  const match = new RegExp(`^${escapeRegExp(prefix)}-(\\d{4})\\.(\\d{2})\\.(\\d{2})$`).exec(name);
  if (!match) return undefined;
  const [, year, month, day] = match;
  const start = new Date(`${year}-${month}-${day}T00:00:00.000Z`);
  if (Number.isNaN(start.getTime()) || start.toISOString().slice(0, 10) !== `${year}-${month}-${day}`) {
    return undefined;
  }
  return start;
}

/**
 * Pure: the daily indices of `prefix` to delete. An index expires once its whole day is older than
 * `retentionDays` (its end + retentionDays ≤ now), so every event of the last `retentionDays × 24 h`
 * stays searchable. Names that are not daily indices of this prefix are never selected.
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
