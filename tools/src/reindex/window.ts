import { type IndexDay, indexDayOf } from '@wikistream/shared';

const DAY_MS = 86_400_000;

/** Pure: the UTC days the window [from, to) touches, oldest first; each is rebuilt whole. */
export function daysInWindow(from: number, to: number): IndexDay[] {
  const days: IndexDay[] = [];
  for (let start = Math.floor(from / DAY_MS) * DAY_MS; start < to; start += DAY_MS)
    days.push(indexDayOf(start));
  return days;
}

/** Pure: the start of a `YYYY.MM.DD` day, in ms. */
export function dayStart(day: IndexDay): number {
  return Date.parse(`${day.replaceAll('.', '-')}T00:00:00.000Z`);
}

export const DAY = DAY_MS;
