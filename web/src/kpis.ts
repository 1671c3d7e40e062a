import type { EditorKind, StatsResponse, Totals } from '@wikistream/shared';
import { EDITOR_KINDS } from './editor-kinds.ts';
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

const VS_PREVIOUS = 'vs previous period';

/** The totals that count each kind of editor. */
const KIND_TOTALS: Readonly<Record<EditorKind, keyof Totals>> = {
  registered: 'registered',
  temporary: 'temporary',
  ip: 'ip',
  bot: 'bots',
};

const SHARE_LABELS: Readonly<Record<EditorKind, string>> = {
  registered: 'Registered share',
  temporary: 'Temporary-account share',
  ip: 'IP-address share',
  bot: 'Bot share',
};

/** The share of events by one kind of editor, and its change in percentage points. */
function shareKpi(kind: EditorKind, totals: Totals, previous: Totals): Kpi {
  const now = share(totals[KIND_TOTALS[kind]], totals.events);
  const before = share(previous[KIND_TOTALS[kind]], previous.events);
  return {
    id: `${kind}-share`,
    label: SHARE_LABELS[kind],
    value: formatPercent(now),
    change: pointChange(now, before),
    hint: `${VS_PREVIOUS} (${formatPercent(before)})`,
    tone: 'neutral',
  };
}

/**
 * The KPI cards, each value with its change versus the period of equal length before: activity
 * first, then the share of each kind of editor (a temporary account is never counted as
 * registered).
 */
export function computeKpis(stats: StatsResponse): Kpi[] {
  const { totals, previous } = stats;
  const minutes = Math.max(1, (Date.parse(stats.range.to) - Date.parse(stats.range.from)) / 60_000);
  const previousPerMinute = previous.events / minutes;
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
      hint: `${VS_PREVIOUS} (${formatCount(previous.edits)})`,
      tone: 'neutral',
    },
    {
      id: 'new-pages',
      label: 'New pages',
      value: formatCount(totals.newPages),
      change: relativeChange(totals.newPages, previous.newPages),
      hint: `${VS_PREVIOUS} (${formatCount(previous.newPages)})`,
      tone: 'neutral',
    },
    {
      id: 'active-wikis',
      label: 'Active wikis',
      value: formatCount(totals.activeWikis),
      change: relativeChange(totals.activeWikis, previous.activeWikis),
      hint: `${VS_PREVIOUS} (${formatCount(previous.activeWikis)})`,
      tone: 'neutral',
    },
    ...EDITOR_KINDS.map((kind) => shareKpi(kind, totals, previous)),
  ];
}
