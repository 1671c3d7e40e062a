import { h } from '../dom.ts';
import { EDITOR_KIND_LABELS, EDITOR_KIND_SHORT_LABELS, EDITOR_KINDS } from '../editor-kinds.ts';
import { COMMON_NAMESPACES, namespaceName } from '../namespaces.ts';
import { EVENT_TYPES, parseWikis, type ViewState } from '../url-state.ts';
import { pill } from './fields.ts';
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

/**
 * Wiki, type, namespace and kind of editor: the filters every panel and the live feed share.
 * Bots are one of the four kinds, so one Editors menu replaces the former Bots and Editors
 * selects: any combination of kinds, none checked meaning all.
 */
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
  const editors = createMultiSelect(
    'Editors',
    EDITOR_KINDS.map((kind) => ({
      value: kind,
      label: EDITOR_KIND_LABELS[kind],
      short: EDITOR_KIND_SHORT_LABELS[kind],
    })),
    (editorKind) => onChange({ editorKind }),
  );
  editors.element.id = 'filter-editor-kind';
  const clear = h(
    'button',
    {
      type: 'button',
      class: 'button small ghost',
      onclick: () => onChange({ wiki: [], type: [], editorKind: [], namespace: [] }),
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
    editors.element,
    clear,
  );
  return {
    element,
    sync(state) {
      if (document.activeElement !== wiki) wiki.value = state.wiki.join(', ');
      types.set(state.type);
      namespaces.set(state.namespace);
      editors.set(state.editorKind);
      wiki.parentElement?.classList.toggle('is-active', state.wiki.length > 0);
      const active = state.wiki.length + state.type.length + state.namespace.length + state.editorKind.length;
      clear.hidden = active === 0;
      return active;
    },
    setWikiSuggestions(wikis) {
      wikiList.replaceChildren(...wikis.map((id) => h('option', { value: id })));
    },
  };
}
