import { h } from '../dom.ts';
import { icon } from '../icons.ts';
import { COMMON_NAMESPACES, namespaceName } from '../namespaces.ts';
import { fromLocalInputValue, PRESET_LABELS, type TimeRange, toLocalInputValue } from '../time-range.ts';
import { EVENT_TYPES, parseWikis, RANGE_PRESETS, REFRESH_CHOICES, type ViewState } from '../url-state.ts';
import { createMultiSelect } from './multi-select.ts';

export interface Toolbar {
  readonly element: HTMLElement;
  sync(state: ViewState, range: TimeRange): void;
  setWikiSuggestions(wikis: readonly string[]): void;
}

type Patch = Partial<ViewState>;

const boolOptions = (anyLabel: string, yes: string, no: string) => [
  h('option', { value: '' }, anyLabel),
  h('option', { value: 'true' }, yes),
  h('option', { value: 'false' }, no),
];

function boolValue(value: string): boolean | null {
  return value === 'true' ? true : value === 'false' ? false : null;
}

function field(label: string, id: string, control: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id, class: 'field-label' }, label), control);
}

/** A control with its label inside one bordered pill, like the Type and Namespace menus. */
function pill(label: string, id: string, control: HTMLInputElement | HTMLSelectElement): HTMLElement {
  return h(
    'div',
    { class: `pill ${control instanceof HTMLSelectElement ? 'pill-select' : ''}`.trim() },
    h('label', { for: id, class: 'pill-label' }, label),
    control,
  );
}

function refreshLabel(seconds: number): string {
  if (seconds === 0) return 'Off';
  return seconds < 60 ? `${seconds} s` : `${seconds / 60} min`;
}

/** Time range picker, filters and auto-refresh; every change goes out as a patch of the view. */
export function createToolbar(onChange: (patch: Patch) => void): Toolbar {
  const rangeButtons = [...RANGE_PRESETS, 'custom' as const].map((range) =>
    h(
      'button',
      {
        type: 'button',
        class: 'segment',
        'data-range': range,
        title: range === 'custom' ? 'Choose a custom range' : PRESET_LABELS[range],
        onclick: () => (range === 'custom' ? openCustom() : onChange({ range, from: null, to: null })),
      },
      range === 'custom' ? 'Custom' : range,
    ),
  );
  const fromInput = h('input', { type: 'datetime-local', id: 'range-from', class: 'input' });
  const toInput = h('input', { type: 'datetime-local', id: 'range-to', class: 'input' });
  const customError = h('p', { class: 'field-error', role: 'alert' });
  const customForm = h(
    'form',
    { class: 'custom-range', hidden: true, 'aria-label': 'Custom time range' },
    field('From', 'range-from', fromInput),
    field('To', 'range-to', toInput),
    h('button', { type: 'submit', class: 'button small primary' }, 'Apply'),
    customError,
  );
  customForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const from = fromLocalInputValue(fromInput.value);
    const to = fromLocalInputValue(toInput.value);
    if (!from || !to || Date.parse(from) >= Date.parse(to)) {
      customError.textContent = 'Choose a start before the end.';
      return;
    }
    customError.textContent = '';
    onChange({ range: 'custom', from, to });
  });
  const openCustom = () => {
    customForm.hidden = false;
    fromInput.focus();
  };

  const wikiList = h('datalist', { id: 'wiki-suggestions' });
  const wikiInput = h('input', {
    type: 'text',
    id: 'filter-wiki',
    class: 'input',
    list: 'wiki-suggestions',
    placeholder: 'All wikis',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const commitWiki = () => onChange({ wiki: parseWikis(wikiInput.value) });
  wikiInput.addEventListener('change', commitWiki);
  wikiInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') commitWiki();
  });

  const types = createMultiSelect<string>(
    'Type',
    EVENT_TYPES.map((type) => ({ value: type, label: type })),
    (type) => onChange({ type }),
  );
  const namespaces = createMultiSelect(
    'Namespace',
    COMMON_NAMESPACES.map((ns) => ({ value: ns, label: `${namespaceName(ns)} (${ns})` })),
    (namespace) => onChange({ namespace }),
    (ns) => `${namespaceName(ns)} (${ns})`,
  );
  const botSelect = h(
    'select',
    { id: 'filter-bot', class: 'input' },
    ...boolOptions('Any', 'Only bots', 'No bots'),
  );
  botSelect.addEventListener('change', () => onChange({ bot: boolValue(botSelect.value) }));
  const anonSelect = h(
    'select',
    { id: 'filter-anonymous', class: 'input' },
    ...boolOptions('Any', 'Anonymous', 'Registered'),
  );
  anonSelect.addEventListener('change', () => onChange({ anonymous: boolValue(anonSelect.value) }));
  const refreshSelect = h(
    'select',
    { id: 'auto-refresh', class: 'input' },
    ...REFRESH_CHOICES.map((seconds) => h('option', { value: String(seconds) }, refreshLabel(seconds))),
  );
  refreshSelect.addEventListener('change', () => onChange({ refresh: Number(refreshSelect.value) }));
  const clearButton = h(
    'button',
    {
      type: 'button',
      class: 'button small ghost',
      onclick: () => onChange({ wiki: [], type: [], bot: null, anonymous: null, namespace: [] }),
    },
    'Clear filters',
  );

  // On a phone the filters fold away behind a button; on wider screens the button is hidden.
  const filtersToggle = h(
    'button',
    {
      type: 'button',
      class: 'button small filters-toggle',
      'aria-expanded': 'false',
      'aria-controls': 'filters',
    },
    icon('filter'),
    'Filters',
  );
  const filtersCount = h('span', { class: 'chip chip-accent', hidden: true });
  filtersToggle.append(filtersCount);
  filtersToggle.addEventListener('click', () => {
    const open = filtersToggle.getAttribute('aria-expanded') !== 'true';
    filtersToggle.setAttribute('aria-expanded', String(open));
    element.classList.toggle('filters-open', open);
  });

  const element = h(
    'div',
    { class: 'toolbar', role: 'region', 'aria-label': 'Time range and filters' },
    h(
      'div',
      { class: 'toolbar-row' },
      h('div', { class: 'segmented', role: 'group', 'aria-label': 'Time range' }, ...rangeButtons),
      filtersToggle,
      h(
        'div',
        { class: 'filters', id: 'filters', role: 'group', 'aria-label': 'Filters' },
        pill('Wiki', 'filter-wiki', wikiInput),
        wikiList,
        types.element,
        namespaces.element,
        pill('Bots', 'filter-bot', botSelect),
        pill('Editors', 'filter-anonymous', anonSelect),
        clearButton,
      ),
      h('div', { class: 'toolbar-end' }, pill('Auto-refresh', 'auto-refresh', refreshSelect)),
    ),
    customForm,
  );

  return {
    element,
    sync(state, range) {
      for (const button of rangeButtons) {
        button.setAttribute('aria-pressed', String(button.dataset.range === state.range));
      }
      if (state.range === 'custom') customForm.hidden = false;
      else if (!customForm.contains(document.activeElement)) customForm.hidden = true;
      fromInput.value = toLocalInputValue(range.from);
      toInput.value = toLocalInputValue(range.to);
      if (document.activeElement !== wikiInput) wikiInput.value = state.wiki.join(', ');
      types.set(state.type);
      namespaces.set(state.namespace);
      botSelect.value = state.bot === null ? '' : String(state.bot);
      anonSelect.value = state.anonymous === null ? '' : String(state.anonymous);
      wikiInput.parentElement?.classList.toggle('is-active', state.wiki.length > 0);
      botSelect.parentElement?.classList.toggle('is-active', state.bot !== null);
      anonSelect.parentElement?.classList.toggle('is-active', state.anonymous !== null);
      refreshSelect.value = String(state.refresh);
      const active =
        state.wiki.length +
        state.type.length +
        state.namespace.length +
        (state.bot === null ? 0 : 1) +
        (state.anonymous === null ? 0 : 1);
      clearButton.hidden = active === 0;
      filtersCount.hidden = active === 0;
      filtersCount.textContent = String(active);
    },
    setWikiSuggestions(wikis) {
      wikiList.replaceChildren(...wikis.map((wiki) => h('option', { value: wiki })));
    },
  };
}
