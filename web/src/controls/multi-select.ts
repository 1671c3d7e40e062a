import { h, uniqueId } from '../dom.ts';

export interface Option<V> {
  readonly value: V;
  readonly label: string;
  /** A shorter name for the closed menu's summary; default: the label. */
  readonly short?: string;
}

export interface MultiSelect<V> {
  readonly element: HTMLElement;
  set(selected: readonly V[]): void;
}

/**
 * A compact multiple choice: a disclosure button (native <details>, so it is keyboard and
 * screen-reader friendly without extra script) over a fieldset of checkboxes.
 */
export function createMultiSelect<V extends string | number>(
  label: string,
  options: readonly Option<V>[],
  onChange: (selected: V[]) => void,
  labelFor: (value: V) => string = String,
): MultiSelect<V> {
  const summaryValue = h('span', { class: 'select-value' });
  const summary = h(
    'summary',
    { class: 'select-summary' },
    h('span', { class: 'select-label' }, label),
    summaryValue,
  );
  const makeBox = (option: Option<V>) => {
    const id = uniqueId('opt');
    const input = h('input', { type: 'checkbox', id, value: String(option.value) });
    input.addEventListener('change', () => {
      describe();
      onChange(selected());
    });
    return {
      option,
      input,
      row: h('div', { class: 'check-row' }, input, h('label', { for: id }, option.label)),
    };
  };
  const boxes = options.map(makeBox);
  const menu = h(
    'fieldset',
    { class: 'select-menu' },
    h('legend', { class: 'visually-hidden' }, label),
    ...boxes.map((box) => box.row),
  );
  const details = h('details', { class: 'multi-select' }, summary, menu);
  const selected = () => boxes.filter((box) => box.input.checked).map((box) => box.option.value);
  const describe = () => {
    const chosen = boxes
      .filter((box) => box.input.checked)
      .map((box) => box.option.short ?? box.option.label);
    summaryValue.textContent =
      chosen.length === 0 ? 'Any' : chosen.length <= 2 ? chosen.join(', ') : `${chosen.length} selected`;
    details.classList.toggle('is-active', chosen.length > 0);
  };
  details.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && details.open) {
      details.open = false;
      summary.focus();
    }
  });
  document.addEventListener('click', (event) => {
    if (details.open && !details.contains(event.target as Node)) details.open = false;
  });
  return {
    element: details,
    set(values) {
      // A value from a shared URL or a drill-down may not be among the offered options yet.
      for (const value of values) {
        if (boxes.some((box) => box.option.value === value)) continue;
        const box = makeBox({ value, label: labelFor(value) });
        boxes.push(box);
        menu.append(box.row);
      }
      for (const box of boxes) box.input.checked = values.includes(box.option.value);
      describe();
    },
  };
}
