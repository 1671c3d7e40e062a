/** How fresh the index is: green under a minute, amber under five, red beyond, grey when unknown. */
export type Freshness = 'fresh' | 'lagging' | 'stale' | 'unknown';

export const FRESH_SECONDS = 60;
export const LAGGING_SECONDS = 300;

export function freshnessOf(ageSeconds: number | null | undefined): Freshness {
  if (typeof ageSeconds !== 'number' || !Number.isFinite(ageSeconds)) return 'unknown';
  if (ageSeconds < FRESH_SECONDS) return 'fresh';
  if (ageSeconds < LAGGING_SECONDS) return 'lagging';
  return 'stale';
}

export const FRESHNESS_LABELS: Readonly<Record<Freshness, string>> = {
  fresh: 'Fresh',
  lagging: 'Lagging',
  stale: 'Stale',
  unknown: 'No data',
};
