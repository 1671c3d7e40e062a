import { type Child, h } from './dom.ts';

export interface Column<T> {
  readonly label: string;
  /** Right-aligned, tabular figures. */
  readonly numeric?: boolean;
  readonly className?: string;
  /** Visually hidden header (still read by screen readers). */
  readonly hiddenLabel?: boolean;
  readonly cell: (row: T, index: number) => Child | Child[];
}

/** A plain, accessible data table: caption, column headers with scope, one row per item. */
export function dataTable<T>(
  caption: string,
  columns: readonly Column<T>[],
  rows: readonly T[],
  options: { className?: string; rowKey?: (row: T) => string } = {},
): HTMLElement {
  const cls = (column: Column<T>) =>
    [column.numeric ? 'num' : '', column.className ?? ''].filter(Boolean).join(' ') || null;
  const head = h(
    'tr',
    {},
    ...columns.map((column) =>
      h(
        'th',
        { scope: 'col', class: cls(column) },
        column.hiddenLabel ? h('span', { class: 'visually-hidden' }, column.label) : column.label,
      ),
    ),
  );
  const body = rows.map((row, index) =>
    h(
      'tr',
      { 'data-key': options.rowKey?.(row) },
      ...columns.map((column) => {
        const content = column.cell(row, index);
        return h('td', { class: cls(column) }, ...(Array.isArray(content) ? content : [content]));
      }),
    ),
  );
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: `data-table ${options.className ?? ''}`.trim() },
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, head),
      h('tbody', {}, ...body),
    ),
  );
}

/** A horizontal bar for a share of the largest value in a list. */
export function meter(fraction: number, tone = 'accent'): HTMLElement {
  const fill = h('span', { class: `meter-fill tone-${tone}` });
  fill.style.setProperty('width', `${Math.max(0, Math.min(1, fraction)) * 100}%`);
  return h('span', { class: 'meter', 'aria-hidden': 'true' }, fill);
}
