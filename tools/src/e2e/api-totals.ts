import { setTimeout as sleep } from 'node:timers/promises';
import type { StatsResponse } from '@wikistream/shared';

async function getJson<T>(url: string): Promise<T | undefined> {
  const response = await fetch(url).catch(() => undefined);
  return response?.ok ? ((await response.json()) as T) : undefined;
}

/** Polls the api until its totals equal the store's (rollups catch up within seconds), bounded. */
export async function apiTotals(
  apiUrl: string,
  range: { from: number; to: number },
  want: { events: number; deadLetters: number },
): Promise<{ events: number | undefined; deadLetters: number | undefined }> {
  const from = new Date(range.from).toISOString();
  const to = new Date(range.to).toISOString();
  const deadline = Date.now() + 120_000;
  let events: number | undefined;
  let deadLetters: number | undefined;
  for (;;) {
    const stats = await getJson<StatsResponse>(`${apiUrl}/api/stats?from=${from}&to=${to}`);
    const pipeline = await getJson<{ deadLetters: { total: number } }>(`${apiUrl}/api/pipeline`);
    events = stats?.totals.events ?? events;
    deadLetters = pipeline?.deadLetters.total ?? deadLetters;
    if ((events === want.events && deadLetters === want.deadLetters) || Date.now() > deadline)
      return { events, deadLetters };
    await sleep(2000);
  }
}
