import { h } from '../dom.ts';
import { icon } from '../icons.ts';
import type { TimeRange } from '../time-range.ts';
import { REFRESH_CHOICES, type ViewState } from '../url-state.ts';
import { pill } from './fields.ts';
import { createFilterControls } from './filter-controls.ts';
import { createRangePicker } from './range-picker.ts';

export interface Toolbar {
  readonly element: HTMLElement;
  sync(state: ViewState, range: TimeRange): void;
  setWikiSuggestions(wikis: readonly string[]): void;
}

function refreshLabel(seconds: number): string {
  if (seconds === 0) return 'Off';
  return seconds < 60 ? `${seconds} s` : `${seconds / 60} min`;
}

/** On a phone the filters fold away behind this button; on wider screens it is hidden. */
function filtersToggle(toolbar: () => HTMLElement) {
  const count = h('span', { class: 'chip chip-accent', hidden: true });
  const button = h(
    'button',
    {
      type: 'button',
      class: 'button small filters-toggle',
      'aria-expanded': 'false',
      'aria-controls': 'filters',
    },
    icon('filter'),
    'Filters',
    count,
  );
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    toolbar().classList.toggle('filters-open', open);
  });
  return {
    button,
    setCount(active: number) {
      count.hidden = active === 0;
      count.textContent = String(active);
    },
  };
}

/** Time range picker, filters and auto-refresh; every change goes out as a patch of the view. */
export function createToolbar(onChange: (patch: Partial<ViewState>) => void): Toolbar {
  const range = createRangePicker(onChange);
  const filters = createFilterControls(onChange);
  const refresh = h(
    'select',
    { id: 'auto-refresh', class: 'input' },
    ...REFRESH_CHOICES.map((seconds) => h('option', { value: String(seconds) }, refreshLabel(seconds))),
  );
  refresh.addEventListener('change', () => onChange({ refresh: Number(refresh.value) }));
  const toggle = filtersToggle(() => element);
  const element = h(
    'div',
    { class: 'toolbar', role: 'region', 'aria-label': 'Time range and filters' },
    h(
      'div',
      { class: 'toolbar-row' },
      range.buttons,
      toggle.button,
      filters.element,
      h('div', { class: 'toolbar-end' }, pill('Auto-refresh', 'auto-refresh', refresh)),
    ),
    range.customForm,
  );
  return {
    element,
    sync(state, current) {
      range.sync(state, current);
      toggle.setCount(filters.sync(state));
      refresh.value = String(state.refresh);
    },
    setWikiSuggestions: filters.setWikiSuggestions,
  };
}
