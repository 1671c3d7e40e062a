import type { StatsResponse } from '@wikistream/shared';
import { h, wikiLink } from '../dom.ts';
import { isEditorKind } from '../editor-kinds.ts';
import { editorBadge } from '../event-view.ts';
import { formatCount } from '../format.ts';
import { icon } from '../icons.ts';
import { pageUrl, userUrl, wikiHomeUrl } from '../links.ts';
import { createPanel, type Panel } from '../panel.ts';
import { dataTable, meter } from '../table.ts';

export interface FilterActions {
  addWiki(wiki: string): void;
}

export interface TopLists {
  readonly panels: readonly Panel[];
  update(stats: StatsResponse): void;
}

const rank = (_row: unknown, index: number) => h('span', { class: 'rank' }, String(index + 1));

function countCell(count: number, max: number, tone: string) {
  return h(
    'span',
    { class: 'count-cell' },
    meter(max > 0 ? count / max : 0, tone),
    h('span', {}, formatCount(count)),
  );
}

function filterButton(label: string, onClick: () => void): HTMLElement {
  return h(
    'button',
    {
      type: 'button',
      class: 'icon-button filter-button',
      'aria-label': label,
      title: label,
      onclick: onClick,
    },
    icon('filter'),
  );
}

export function createTopLists(actions: FilterActions): TopLists {
  const wikis = createPanel({ id: 'top-wikis', title: 'Top wikis', className: 'span-4', skeletonRows: 8 });
  const pages = createPanel({ id: 'top-pages', title: 'Top pages', className: 'span-4', skeletonRows: 8 });
  const editors = createPanel({
    id: 'top-editors',
    title: 'Top editors',
    className: 'span-4',
    skeletonRows: 8,
  });

  const renderWikis = (rows: StatsResponse['topWikis']) => {
    const max = rows[0]?.count ?? 0;
    wikis.ready(
      dataTable(
        'Wikis with the most events',
        [
          { label: '#', cell: rank, className: 'col-rank' },
          {
            label: 'Wiki',
            cell: (row) => [
              wikiLink(wikiHomeUrl(row.serverUrl), row.key, { class: 'mono' }),
              filterButton(`Show only ${row.key}`, () => actions.addWiki(row.key)),
            ],
          },
          {
            label: 'Events',
            numeric: true,
            className: 'col-count',
            cell: (row) => countCell(row.count, max, 'accent'),
          },
        ],
        rows,
      ),
    );
  };

  const renderPages = (rows: StatsResponse['topPages']) => {
    const max = rows[0]?.count ?? 0;
    pages.ready(
      dataTable(
        'Pages with the most events',
        [
          { label: '#', cell: rank, className: 'col-rank' },
          {
            label: 'Page',
            className: 'col-wrap',
            cell: (row) => [
              wikiLink(pageUrl(row.serverUrl, row.title), row.title, { class: 'strong-link' }),
              h('span', { class: 'subtle mono' }, row.wiki),
            ],
          },
          {
            label: 'Events',
            numeric: true,
            className: 'col-count',
            cell: (row) => countCell(row.count, max, 'accent'),
          },
        ],
        rows,
      ),
    );
  };

  const renderEditors = (rows: StatsResponse['topEditors']) => {
    const max = rows[0]?.count ?? 0;
    editors.ready(
      dataTable(
        'Editors with the most events',
        [
          { label: '#', cell: rank, className: 'col-rank' },
          {
            label: 'Editor',
            className: 'col-wrap',
            cell: (row) => [
              wikiLink(userUrl(row.serverUrl, row.user), row.user, { class: 'strong-link' }),
              editorBadge(row.kind),
              row.wiki ? h('span', { class: 'subtle mono' }, row.wiki) : null,
            ],
          },
          {
            label: 'Events',
            numeric: true,
            className: 'col-count',
            cell: (row) => countCell(row.count, max, isEditorKind(row.kind) ? row.kind : 'accent'),
          },
        ],
        rows,
      ),
    );
  };

  return {
    panels: [wikis, pages, editors],
    update(stats) {
      if (stats.topWikis.length > 0) renderWikis(stats.topWikis);
      else wikis.empty('No wikis in this range.');
      if (stats.topPages.length > 0) renderPages(stats.topPages);
      else pages.empty('No pages in this range.');
      if (stats.topEditors.length > 0) renderEditors(stats.topEditors);
      else editors.empty('No editors in this range.');
    },
  };
}
