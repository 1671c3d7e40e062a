import type { EventsPage } from '@wikistream/shared';
import { describeError, getJson, isAbort } from '../api-client.ts';
import { eventsPath } from '../api-query.ts';
import { h } from '../dom.ts';
import { EVENT_COLUMNS } from '../event-view.ts';
import { formatInt } from '../format.ts';
import { icon } from '../icons.ts';
import { createPanel, type Panel } from '../panel.ts';
import { dataTable } from '../table.ts';
import type { TimeRange } from '../time-range.ts';
import type { ViewState } from '../url-state.ts';

const PAGE_SIZE = 25;

export interface Search {
  readonly panel: Panel;
  /** Runs the search for a view from its first page. */
  run(state: ViewState, range: TimeRange): void;
}

/**
 * Full-text search over titles, comments and users with the dashboard's filters and range,
 * paged with the API's cursor (a stack of cursors gives "previous"), and export links for the
 * same view as NDJSON or CSV.
 */
export function createSearch(onQuery: (q: string) => void): Search {
  const input = h('input', {
    type: 'search',
    id: 'search-q',
    name: 'q',
    class: 'input search-input',
    placeholder: 'Words from a title, comment or user name',
    autocomplete: 'off',
    spellcheck: 'false',
    maxlength: 200,
  });
  const form = h(
    'form',
    { class: 'search-form', role: 'search', 'aria-label': 'Search events' },
    h('label', { for: 'search-q', class: 'visually-hidden' }, 'Search titles, comments and users'),
    input,
    h('button', { type: 'submit', class: 'button primary' }, 'Search'),
  );
  const exportLink = (format: 'ndjson' | 'csv') =>
    h(
      'a',
      {
        class: 'button small',
        href: `/api/events?format=${format}`,
        download: `wikistream-events.${format}`,
      },
      icon('download'),
      format.toUpperCase(),
    );
  const exportNdjson = exportLink('ndjson');
  const exportCsv = exportLink('csv');
  const exports = h(
    'div',
    { class: 'export-links', role: 'group', 'aria-label': 'Export these results' },
    h('span', { class: 'subtle' }, 'Export'),
    exportNdjson,
    exportCsv,
  );
  const panel = createPanel({
    id: 'search',
    title: 'Search events',
    description: 'Titles, comments and user names, within the time range and filters above; newest first.',
    className: 'span-12',
    actions: [exports],
    skeletonRows: 6,
  });
  panel.element.insertBefore(form, panel.body);

  let state: ViewState | null = null;
  let range: TimeRange | null = null;
  let cursors: (string | null)[] = [null];
  let controller: AbortController | null = null;

  const pager = (page: EventsPage, index: number) =>
    h(
      'nav',
      { class: 'pager', 'aria-label': 'Search result pages' },
      h(
        'button',
        { type: 'button', class: 'button small', disabled: index === 0, onclick: () => load(index - 1) },
        '\u2190 Newer',
      ),
      h('span', { class: 'subtle' }, `Page ${index + 1}`),
      h(
        'button',
        {
          type: 'button',
          class: 'button small',
          disabled: page.nextCursor === null,
          onclick: () => load(index + 1, page.nextCursor),
        },
        'Older \u2192',
      ),
    );

  const render = (page: EventsPage, index: number) => {
    const total = `${page.totalRelation === 'gte' ? '≥ ' : ''}${formatInt(page.total)}`;
    panel.meta.replaceChildren(
      h('span', { class: 'chip search-total' }, `${total} ${page.total === 1 ? 'match' : 'matches'}`),
    );
    if (page.events.length === 0) {
      panel.empty(state?.q ? `No events match “${state.q}” in this range.` : 'No events in this range.');
      return;
    }
    panel.ready(
      dataTable('Search results', EVENT_COLUMNS, page.events, {
        className: 'events-table',
        rowKey: (event) => event.id,
      }),
      pager(page, index),
    );
  };

  async function load(index: number, cursor?: string | null) {
    if (!state || !range) return;
    if (cursor !== undefined) cursors[index] = cursor;
    controller?.abort();
    const own = new AbortController();
    controller = own;
    panel.loading();
    try {
      const page = await getJson<EventsPage>(
        eventsPath(state, range, { size: PAGE_SIZE, cursor: cursors[index] ?? null }),
        own.signal,
      );
      cursors = cursors.slice(0, index + 1);
      render(page, index);
    } catch (error) {
      if (!isAbort(error)) panel.error(describeError(error), () => void load(index));
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onQuery(input.value.trim());
  });

  return {
    panel,
    run(nextState, nextRange) {
      state = nextState;
      range = nextRange;
      cursors = [null];
      if (document.activeElement !== input) input.value = nextState.q;
      exportNdjson.setAttribute('href', eventsPath(nextState, nextRange, { format: 'ndjson' }));
      exportCsv.setAttribute('href', eventsPath(nextState, nextRange, { format: 'csv' }));
      void load(0);
    },
  };
}
