import { readAlias } from '@wikistream/shared';

export interface SwapPlan {
  readonly prefix: string;
  /** `<prefix>-YYYY.MM.DD`: the name the indexer writes to. */
  readonly dayName: string;
  /** The version being replaced, and whether it is the plain index that holds the day's name. */
  readonly current: string;
  readonly plain: boolean;
  /** The rebuilt version. */
  readonly target: string;
}

/**
 * Pure: the one `_aliases` call that makes the rebuilt version the day's: the read alias moves to it,
 * and the day's name leads to it for writes. A plain index holds the day's name itself, so it is
 * deleted in the same call (`remove_index`) — the name is never free for a write to create an index.
 */
export function swapActions(plan: SwapPlan): Record<string, unknown>[] {
  const read = readAlias(plan.prefix);
  const away = plan.plain
    ? [{ remove_index: { index: plan.current } }]
    : [
        { remove: { index: plan.current, alias: read } },
        { remove: { index: plan.current, alias: plan.dayName } },
      ];
  return [
    { add: { index: plan.target, alias: read } },
    ...away,
    { add: { index: plan.target, alias: plan.dayName, is_write_index: true } },
  ];
}
