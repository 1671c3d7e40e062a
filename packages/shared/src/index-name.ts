/** Daily index for an event time: `<prefix>-YYYY.MM.DD`, by the UTC day of `meta.dt`. */
export function dailyIndexName(prefix: string, dt: string | Date): string {
  const date = typeof dt === 'string' ? new Date(dt) : dt;
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a date: ${String(dt)}`);
  const day = date.toISOString().slice(0, 10).replaceAll('-', '.');
  return `${prefix}-${day}`;
}

/** The pattern that reads every daily index of a prefix. */
export function indexPattern(prefix: string): string {
  return `${prefix}-*`;
}
