import { type IndexDay, parseDailyIndexName, versionedIndexName } from '@wikistream/shared';

/** The indices of a prefix with their aliases, as `GET <prefix>-*\/_alias` lists them. */
export type AliasListing = Readonly<
  Record<string, { readonly aliases?: Readonly<Record<string, { readonly is_write_index?: boolean }>> }>
>;

export interface DayLayout {
  readonly day: IndexDay;
  /** The index the day's name leads to (the day's data): the plain index, or its alias's write index. */
  readonly current: string | undefined;
  /** Whether `current` is the plain `<prefix>-YYYY.MM.DD`, whose name the swap turns into an alias. */
  readonly plain: boolean;
  /** Every version of the day that exists (the plain index is 1). */
  readonly versions: readonly number[];
}

/** Pure: where each day stands. A day with neither an index nor an alias has no `current`. */
export function dayLayouts(prefix: string, days: readonly IndexDay[], listing: AliasListing): DayLayout[] {
  return days.map((day) => {
    const name = `${prefix}-${day}`;
    const versions: number[] = [];
    let aliased: string | undefined;
    for (const [index, entry] of Object.entries(listing)) {
      const parsed = parseDailyIndexName(prefix, index);
      if (parsed?.day === day) versions.push(parsed.version ?? 1);
      const alias = entry.aliases?.[name];
      // A day's alias has one index, its write index; prefer the flag should there be more.
      if (alias !== undefined && (aliased === undefined || alias.is_write_index === true)) aliased = index;
    }
    const plain = listing[name] !== undefined;
    return {
      day,
      current: plain ? name : aliased,
      plain,
      versions: versions.sort((a, b) => a - b),
    };
  });
}

/** Pure: the name of the day's next version: one above every version that exists. */
export function nextVersionName(prefix: string, layout: DayLayout): string {
  return versionedIndexName(prefix, layout.day, Math.max(1, ...layout.versions) + 1);
}
