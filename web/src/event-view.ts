import type { EventSummary } from '@wikistream/shared';
import { h, wikiLink } from './dom.ts';
import { EDITOR_KIND_BADGES, isEditorKind } from './editor-kinds.ts';
import { formatByteDelta, formatClock, formatDateTime } from './format.ts';
import { diffUrl, pageUrl, userUrl } from './links.ts';
import { namespaceName } from './namespaces.ts';
import type { Column } from './table.ts';

/** How one change is shown, in the live feed and in search results. All text goes in as text. */

export function typeBadge(event: EventSummary): HTMLElement {
  const label = event.type === 'log' && event.logType ? `log · ${event.logType}` : event.type;
  return h(
    'span',
    { class: `badge type-badge type-${/^[a-z]+$/.test(event.type) ? event.type : 'other'}` },
    label,
  );
}

export function titleCell(event: EventSummary): HTMLElement {
  const title = event.title ?? '(no title)';
  const diff =
    event.type === 'edit' || event.type === 'new' ? diffUrl(event.serverUrl, event.revision) : null;
  // A creation has no diff: its link shows the first revision.
  const diffLabel = event.type === 'new' ? 'rev' : 'diff';
  return h(
    'span',
    { class: 'event-title' },
    wikiLink(pageUrl(event.serverUrl, event.title), title, { class: 'strong-link' }),
    diff ? wikiLink(diff, diffLabel, { class: 'diff-link', 'aria-label': `${diffLabel} of ${title}` }) : null,
  );
}

/** `temp`, `IP` or `bot` beside an editor's name, one badge per kind; none for registered accounts. */
export function editorBadge(kind: unknown): HTMLElement | null {
  const badge = isEditorKind(kind) ? EDITOR_KIND_BADGES[kind] : null;
  return badge && h('span', { class: `badge badge-${kind}`, title: badge.title }, badge.text);
}

export function userCell(event: EventSummary): HTMLElement {
  return h(
    'span',
    { class: 'event-user' },
    event.user === null
      ? h('span', { class: 'subtle' }, '(hidden)')
      : wikiLink(userUrl(event.serverUrl, event.user), event.user),
    editorBadge(event.editorKind),
  );
}

export function deltaCell(event: EventSummary): HTMLElement | null {
  if (event.byteDelta === null) return null;
  const trend = event.byteDelta > 0 ? 'up' : event.byteDelta < 0 ? 'down' : 'flat';
  return h('span', { class: `delta trend-${trend}` }, formatByteDelta(event.byteDelta));
}

function commentText(event: EventSummary): string {
  if (event.comment) return event.comment;
  if (event.logAction) return `${event.logType ?? 'log'}/${event.logAction}`;
  return '';
}

export function commentCell(event: EventSummary): HTMLElement {
  const text = commentText(event);
  return h('span', { class: 'event-comment', title: text || null, dir: 'auto' }, text);
}

/** One row of the live feed: a compact two-line item. */
export function liveItem(event: EventSummary): HTMLLIElement {
  return h(
    'li',
    { class: 'live-item', 'data-id': event.id },
    h(
      'div',
      { class: 'live-line' },
      h('time', { class: 'live-time mono', datetime: event.dt }, formatClock(event.dt)),
      typeBadge(event),
      titleCell(event),
      h('span', { class: 'live-wiki mono subtle' }, event.wiki ?? ''),
      deltaCell(event),
    ),
    h('div', { class: 'live-line live-sub' }, userCell(event), commentCell(event)),
  );
}

/** The columns of the search results table. */
export const EVENT_COLUMNS: readonly Column<EventSummary>[] = [
  {
    label: 'Time',
    className: 'col-time mono',
    cell: (event) => h('time', { datetime: event.dt, title: event.dt }, formatDateTime(event.dt)),
  },
  { label: 'Wiki', className: 'mono', cell: (event) => event.wiki ?? '' },
  { label: 'Type', cell: typeBadge },
  {
    label: 'Page',
    className: 'col-wrap col-page',
    cell: (event) => [
      titleCell(event),
      event.namespace !== null && event.namespace !== 0
        ? h('span', { class: 'subtle' }, namespaceName(event.namespace))
        : null,
    ],
  },
  { label: 'Editor', className: 'col-wrap', cell: userCell },
  { label: 'Bytes', numeric: true, cell: deltaCell },
  { label: 'Comment', className: 'col-comment', cell: commentCell },
];
