import type { KeyCount, StatsResponse } from '@wikistream/shared';
import { h } from '../dom.ts';
import { formatBytes, formatCount, formatPercent, share } from '../format.ts';
import { namespaceName } from '../namespaces.ts';
import { createPanel, type Panel } from '../panel.ts';
import { dataTable, meter } from '../table.ts';

export interface BreakdownActions {
  addType(type: string): void;
  addNamespace(namespace: number): void;
}

export interface Breakdowns {
  readonly panels: readonly Panel[];
  update(stats: StatsResponse): void;
}

function breakdownTable<K extends string | number>(
  caption: string,
  label: string,
  rows: readonly KeyCount<K>[],
  name: (key: K) => string,
  filter: (key: K) => void,
  tone: (key: K) => string,
): HTMLElement {
  const total = rows.reduce((sum, row) => sum + row.count, 0);
  const max = rows.reduce((m, row) => Math.max(m, row.count), 0);
  return dataTable(
    caption,
    [
      {
        label,
        cell: (row) =>
          h(
            'button',
            {
              type: 'button',
              class: 'link-button',
              title: `Show only ${name(row.key)}`,
              onclick: () => filter(row.key),
            },
            name(row.key),
          ),
      },
      {
        label: 'Share',
        className: 'col-meter',
        cell: (row) => meter(max > 0 ? row.count / max : 0, tone(row.key)),
      },
      { label: 'Events', numeric: true, cell: (row) => formatCount(row.count) },
      {
        label: '%',
        numeric: true,
        className: 'subtle',
        cell: (row) => formatPercent(share(row.count, total)),
      },
    ],
    rows,
  );
}

function bytesView(totals: StatsResponse['totals']): HTMLElement {
  const { bytesAdded: added, bytesRemoved: removedRaw } = totals;
  const removed = Math.abs(removedRaw);
  const net = added - removed;
  const max = Math.max(added, removed, 1);
  const bar = (value: number, tone: string) => meter(value / max, tone);
  return h(
    'div',
    { class: 'bytes' },
    h(
      'dl',
      { class: 'bytes-grid' },
      h(
        'div',
        { class: 'bytes-row' },
        h('dt', {}, 'Added'),
        h('dd', { class: 'bytes-value trend-up' }, `+${formatBytes(added)}`),
        bar(added, 'added'),
      ),
      h(
        'div',
        { class: 'bytes-row' },
        h('dt', {}, 'Removed'),
        h('dd', { class: 'bytes-value trend-down' }, `\u2212${formatBytes(removed)}`),
        bar(removed, 'removed'),
      ),
      h(
        'div',
        { class: 'bytes-row bytes-net' },
        h('dt', {}, 'Net'),
        h('dd', { class: 'bytes-value' }, `${net >= 0 ? '+' : ''}${formatBytes(net)}`),
      ),
    ),
    h(
      'p',
      { class: 'subtle' },
      `Across ${formatCount(totals.edits + totals.newPages)} edits and page creations.`,
    ),
  );
}

export function createBreakdowns(actions: BreakdownActions): Breakdowns {
  const types = createPanel({
    id: 'change-types',
    title: 'Change types',
    className: 'span-4',
    skeletonRows: 5,
  });
  const namespaces = createPanel({
    id: 'namespaces',
    title: 'Namespaces',
    className: 'span-4',
    skeletonRows: 6,
  });
  const bytes = createPanel({
    id: 'bytes',
    title: 'Bytes added and removed',
    className: 'span-4',
    skeletonRows: 3,
  });
  return {
    panels: [types, namespaces, bytes],
    update(stats) {
      if (stats.types.length > 0) {
        types.ready(
          breakdownTable(
            'Events by change type',
            'Type',
            stats.types,
            (key) => key,
            actions.addType,
            (key) => `type-${key}`,
          ),
        );
      } else types.empty('No events in this range.');
      if (stats.namespaces.length > 0) {
        namespaces.ready(
          breakdownTable(
            'Events by namespace',
            'Namespace',
            stats.namespaces,
            (key) => `${namespaceName(key)} (${key})`,
            actions.addNamespace,
            () => 'accent',
          ),
        );
      } else namespaces.empty('No events in this range.');
      if (stats.totals.bytesAdded > 0 || stats.totals.bytesRemoved !== 0)
        bytes.ready(bytesView(stats.totals));
      else bytes.empty('No page size changes in this range.');
    },
  };
}
