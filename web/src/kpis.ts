import type { StatsResponse } from '@wikistream/shared';
import {
  type Change,
  formatCount,
  formatPercent,
  formatRate,
  pointChange,
  relativeChange,
  share,
} from './format.ts';

export interface Kpi {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly change: Change;
  /** What the change compares, for the tooltip and screen readers. */
  readonly hint: string;
  /** Whether up is good news; shares and activity have no moral direction, so neutral. */
  readonly tone: 'neutral';
}

/** The KPI cards: each value with its change versus the period of equal length before. */
export function computeKpis(stats: StatsResponse): Kpi[] {
  const { totals, previous } = stats;
  const minutes = Math.max(1, (Date.parse(stats.range.to) - Date.parse(stats.range.from)) / 60_000);
  const previousPerMinute = previous.events / minutes;
  const vsPrevious = 'vs previous period';
  return [
    {
      id: 'events-per-minute',
      label: 'Events / min',
      value: formatRate(stats.eventsPerMinute),
      change: relativeChange(stats.eventsPerMinute, previousPerMinute),
      hint: `last full minute vs the previous period's average (${formatRate(previousPerMinute)}/min)`,
      tone: 'neutral',
    },
    {
      id: 'edits',
      label: 'Edits',
      value: formatCount(totals.edits),
      change: relativeChange(totals.edits, previous.edits),
      hint: `${vsPrevious} (${formatCount(previous.edits)})`,
      tone: 'neutral',
    },
    {
      id: 'new-pages',
      label: 'New pages',
      value: formatCount(totals.newPages),
      change: relativeChange(totals.newPages, previous.newPages),
      hint: `${vsPrevious} (${formatCount(previous.newPages)})`,
      tone: 'neutral',
    },
    {
      id: 'bot-share',
      label: 'Bot share',
      value: formatPercent(share(totals.bots, totals.events)),
      change: pointChange(share(totals.bots, totals.events), share(previous.bots, previous.events)),
      hint: `${vsPrevious} (${formatPercent(share(previous.bots, previous.events))})`,
      tone: 'neutral',
    },
    {
      id: 'anonymous-share',
      label: 'Anonymous share',
      value: formatPercent(share(totals.anonymous, totals.events)),
      change: pointChange(share(totals.anonymous, totals.events), share(previous.anonymous, previous.events)),
      hint: `${vsPrevious} (${formatPercent(share(previous.anonymous, previous.events))})`,
      tone: 'neutral',
    },
    {
      id: 'active-wikis',
      label: 'Active wikis',
      value: formatCount(totals.activeWikis),
      change: relativeChange(totals.activeWikis, previous.activeWikis),
      hint: `${vsPrevious} (${formatCount(previous.activeWikis)})`,
      tone: 'neutral',
    },
  ];
}
