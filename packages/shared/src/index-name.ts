/**
 * How the daily indices of a prefix are named, and how they are read and written.
 *
 * - `<prefix>-YYYY.MM.DD` is the name of a day. The indexer always writes to it: it is the day's index
 *   until `pnpm reindex` rebuilds the day, and from then on an alias whose write index is the day's
 *   newest version. The swap that turns the name into an alias deletes the plain index in the same
 *   atomic `_aliases` call, so the name never points nowhere (a write would create a new index).
 * - `<prefix>-YYYY.MM.DD-vN` is version N of a rebuilt day (a plain index counts as version 1, and
 *   `-v1` is where `--keep-old` keeps its documents). A version joins the read alias only when
 *   the swap makes it the day's current one.
 * - `<prefix>` is the read alias: exactly one index per day, the current one. The api reads only
 *   through it, so a day being rebuilt, or an old version kept, is never read twice.
 */

/** The day part of a daily index name, `YYYY.MM.DD`. */
export type IndexDay = string;

/**
 * Daily index for an event time: `<prefix>-YYYY.MM.DD`, by the UTC day of `meta.dt`. A day outside the
 * years 0000–9999 has no such name (`toISOString` would give `+010000-01-01`), and retention could
 * never recognise the index: it is a RangeError, like a value that is not a date.
 */
export function dailyIndexName(prefix: string, dt: string | Date): string {
  return `${prefix}-${indexDayOf(dt)}`;
}

/** The `YYYY.MM.DD` of an event time's UTC day (the RangeErrors of `dailyIndexName`). */
export function indexDayOf(dt: string | Date | number): IndexDay {
  const date = typeof dt === 'string' || typeof dt === 'number' ? new Date(dt) : dt;
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a date: ${String(dt)}`);
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999)
    throw new RangeError(`no daily index for a day in the year ${year}: ${String(dt)}`);
  return date.toISOString().slice(0, 10).replaceAll('-', '.');
}

/**
 * The pattern that matches every daily index of a prefix, versions included: for managing them
 * (retention, mappings). Reading through it would count a rebuilt day twice: read `readAlias`.
 */
export function indexPattern(prefix: string): string {
  return `${prefix}-*`;
}

/** The alias the api reads: the current version of every day, once. */
export function readAlias(prefix: string): string {
  return prefix;
}

/** `<prefix>-YYYY.MM.DD-vN`: version `version` of a day. */
export function versionedIndexName(prefix: string, day: IndexDay, version: number): string {
  if (!Number.isInteger(version) || version < 1) throw new RangeError(`not a version: ${version}`);
  return `${prefix}-${day}-v${version}`;
}

export interface ParsedIndexName {
  readonly day: IndexDay;
  /** Start of the UTC day, in ms. */
  readonly start: number;
  /** Undefined for the plain `<prefix>-YYYY.MM.DD`, which is version 1 of its day. */
  readonly version: number | undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Pure: what a name of the prefix's daily family is — `<prefix>-YYYY.MM.DD` or
 * `<prefix>-YYYY.MM.DD-vN` — or undefined for any other name (another prefix that starts the same,
 * an impossible date, another suffix).
 */
export function parseDailyIndexName(prefix: string, name: string): ParsedIndexName | undefined {
  const match = new RegExp(
    `^${escapeRegExp(prefix)}-(\\d{4})\\.(\\d{2})\\.(\\d{2})(?:-v([1-9]\\d{0,8}))?$`,
  ).exec(name);
  if (!match) return undefined;
  const [, year, month, date, version] = match;
  const iso = `${year}-${month}-${date}`;
  const start = Date.parse(`${iso}T00:00:00.000Z`);
  if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== iso) return undefined;
  return {
    day: `${year}.${month}.${date}`,
    start,
    version: version === undefined ? undefined : Number(version),
  };
}

/**
 * Pure: the `_aliases` actions that put every plain daily index of the prefix that is not in the
 * read alias yet into it. Daily indices made before the read alias existed join it this way on the
 * first start after an upgrade; a versioned index never does (only the swap adds one).
 */
export function readAliasAdditions(
  prefix: string,
  indices: readonly string[],
  members: ReadonlySet<string>,
): { add: { index: string; alias: string } }[] {
  const plain = (name: string) => {
    const parsed = parseDailyIndexName(prefix, name);
    return parsed !== undefined && parsed.version === undefined;
  };
  return indices
    .filter((name) => plain(name) && !members.has(name))
    .sort()
    .map((index) => ({ add: { index, alias: readAlias(prefix) } }));
}
