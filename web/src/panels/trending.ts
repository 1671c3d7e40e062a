import type { TrendingItem, TrendingResponse } from '@wikistream/shared';
import { h, wikiLink } from '../dom.ts';
import { formatClock, formatCount, formatRatio } from '../format.ts';
import { pageUrl, wikiHomeUrl } from '../links.ts';
import { createPanel, type Panel } from '../panel.ts';
import { dataTable } from '../table.ts';

export interface Trending {
  readonly panel: Panel;
  update(trending: TrendingResponse): void;
}

function ratioChip(item: TrendingItem): HTMLElement {
  const level = item.ratio >= 10 ? 'hot' : item.ratio >= 3 ? 'warm' : 'mild';
  return h('span', { class: `ratio ratio-${level}` }, formatRatio(item.ratio));
}

const figures = [
  { label: 'Recent', numeric: true, cell: (item: TrendingItem) => formatCount(item.recent) },
  {
    label: 'Expected',
    numeric: true,
    className: 'subtle',
    cell: (item: TrendingItem) =>
      item.expected < 10 ? item.expected.toFixed(1) : formatCount(item.expected),
  },
  { label: 'Ratio', numeric: true, cell: ratioChip },
];

function pagesTable(items: readonly TrendingItem[]): HTMLElement {
  return dataTable(
    'Trending pages',
    [
      {
        label: 'Page',
        className: 'col-wrap',
        cell: (item) => [
          wikiLink(pageUrl(item.serverUrl, item.title), item.title ?? '', { class: 'strong-link' }),
          h('span', { class: 'subtle mono' }, item.wiki),
        ],
      },
      ...figures,
    ],
    items,
  );
}

function wikisTable(items: readonly TrendingItem[]): HTMLElement {
  return dataTable(
    'Trending wikis',
    [
      {
        label: 'Wiki',
        cell: (item) => wikiLink(wikiHomeUrl(item.serverUrl), item.wiki, { class: 'mono strong-link' }),
      },
      ...figures,
    ],
    items,
  );
}

function section(
  title: string,
  items: readonly TrendingItem[],
  table: (items: readonly TrendingItem[]) => HTMLElement,
) {
  return h(
    'div',
    { class: 'trending-section' },
    h('h3', { class: 'subheading' }, title),
    items.length > 0
      ? table(items)
      : h('p', { class: 'panel-empty' }, `No ${title.toLowerCase()} are above their baseline.`),
  );
}

export function createTrending(): Trending {
  const panel = createPanel({
    id: 'trending',
    title: 'Trending',
    description: 'Rate in the recent window against each item’s own baseline.',
    className: 'span-8',
    skeletonRows: 6,
  });
  return {
    panel,
    update(trending) {
      panel.meta.replaceChildren(
        h(
          'span',
          { class: 'panel-meta-text' },
          `${formatClock(trending.window.from)} – ${formatClock(trending.window.to)}`,
        ),
      );
      if (trending.pages.length === 0 && trending.wikis.length === 0) {
        panel.empty('Nothing is trending right now: no page or wiki is above its baseline.');
        return;
      }
      panel.ready(
        h(
          'div',
          { class: 'trending-grid' },
          section('Pages', trending.pages, pagesTable),
          section('Wikis', trending.wikis, wikisTable),
        ),
      );
    },
  };
}
