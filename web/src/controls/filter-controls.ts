import { h } from '../dom.ts';
import { COMMON_NAMESPACES, namespaceName } from '../namespaces.ts';
import { EVENT_TYPES, parseWikis, type ViewState } from '../url-state.ts';
import { booleanSelect, booleanValue, pill } from './fields.ts';
import { createMultiSelect } from './multi-select.ts';

export interface FilterControls {
  readonly element: HTMLElement;
  /** Sets the controls from the view; returns how many filters are active. */
  sync(state: ViewState): number;
  setWikiSuggestions(wikis: readonly string[]): void;
}

const namespaceLabel = (ns: number) => `${namespaceName(ns)} (${ns})`;

function wikiInput(onChange: (wiki: string[]) => void): HTMLInputElement {
  const input = h('input', {
    type: 'text',
    id: 'filter-wiki',
    class: 'input',
    list: 'wiki-suggestions',
    placeholder: 'All wikis',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const commit = () => onChange(parseWikis(input.value));
  input.addEventListener('change', commit);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') commit();
  });
  return input;
}

/** Wiki, type, namespace, bots and editors: the filters every panel and the live feed share. */
export function createFilterControls(onChange: (patch: Partial<ViewState>) => void): FilterControls {
  const wiki = wikiInput((value) => onChange({ wiki: value }));
  const wikiList = h('datalist', { id: 'wiki-suggestions' });
  const types = createMultiSelect<string>(
    'Type',
    EVENT_TYPES.map((type) => ({ value: type, label: type })),
    (type) => onChange({ type }),
  );
  const namespaces = createMultiSelect(
    'Namespace',
    COMMON_NAMESPACES.map((ns) => ({ value: ns, label: namespaceLabel(ns) })),
    (namespace) => onChange({ namespace }),
    namespaceLabel,
  );
  const bot = booleanSelect('filter-bot', ['Any', 'Only bots', 'No bots']);
  bot.addEventListener('change', () => onChange({ bot: booleanValue(bot.value) }));
  const anonymous = booleanSelect('filter-anonymous', ['Any', 'Anonymous', 'Registered']);
  anonymous.addEventListener('change', () => onChange({ anonymous: booleanValue(anonymous.value) }));
  const clear = h(
    'button',
    {
      type: 'button',
      class: 'button small ghost',
      onclick: () => onChange({ wiki: [], type: [], bot: null, anonymous: null, namespace: [] }),
    },
    'Clear filters',
  );
  const element = h(
    'div',
    { class: 'filters', id: 'filters', role: 'group', 'aria-label': 'Filters' },
    pill('Wiki', 'filter-wiki', wiki),
    wikiList,
    types.element,
    namespaces.element,
    pill('Bots', 'filter-bot', bot),
    pill('Editors', 'filter-anonymous', anonymous),
    clear,
  );
  return {
    element,
    sync(state) {
      if (document.activeElement !== wiki) wiki.value = state.wiki.join(', ');
      types.set(state.type);
      namespaces.set(state.namespace);
      bot.value = state.bot === null ? '' : String(state.bot);
      anonymous.value = state.anonymous === null ? '' : String(state.anonymous);
      wiki.parentElement?.classList.toggle('is-active', state.wiki.length > 0);
      bot.parentElement?.classList.toggle('is-active', state.bot !== null);
      anonymous.parentElement?.classList.toggle('is-active', state.anonymous !== null);
      const active =
        state.wiki.length +
        state.type.length +
        state.namespace.length +
        (state.bot === null ? 0 : 1) +
        (state.anonymous === null ? 0 : 1);
      clear.hidden = active === 0;
      return active;
    },
    setWikiSuggestions(wikis) {
      wikiList.replaceChildren(...wikis.map((id) => h('option', { value: id })));
    },
  };
}
