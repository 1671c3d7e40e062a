/**
 * Daily index for an event time: `<prefix>-YYYY.MM.DD`, by the UTC day of `meta.dt`. A day outside the
 * years 0000–9999 has no such name (`toISOString` would give `+010000-01-01`), and retention could
 * never recognise the index: it is a RangeError, like a value that is not a date.
 */
export function dailyIndexName(prefix: string, dt: string | Date): string {
  const date = typeof dt === 'string' ? new Date(dt) : dt;
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a date: ${String(dt)}`);
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999)
    throw new RangeError(`no daily index for a day in the year ${year}: ${String(dt)}`);
  const day = date.toISOString().slice(0, 10).replaceAll('-', '.');
  return `${prefix}-${day}`;
}

/** The pattern that reads every daily index of a prefix. */
export function indexPattern(prefix: string): string {
  return `${prefix}-*`;
}
