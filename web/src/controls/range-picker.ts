import { h } from '../dom.ts';
import { fromLocalInputValue, PRESET_LABELS, type TimeRange, toLocalInputValue } from '../time-range.ts';
import { RANGE_PRESETS, type ViewState } from '../url-state.ts';
import { field } from './fields.ts';

export interface RangePicker {
  /** The preset buttons (15m … 7d, Custom). */
  readonly buttons: HTMLElement;
  /** The custom range form, shown for a custom range or when Custom is pressed. */
  readonly customForm: HTMLElement;
  sync(state: ViewState, range: TimeRange): void;
}

export function createRangePicker(onChange: (patch: Partial<ViewState>) => void): RangePicker {
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
  return {
    buttons: h('div', { class: 'segmented', role: 'group', 'aria-label': 'Time range' }, ...rangeButtons),
    customForm,
    sync(state, range) {
      for (const button of rangeButtons) {
        button.setAttribute('aria-pressed', String(button.dataset.range === state.range));
      }
      if (state.range === 'custom') customForm.hidden = false;
      else if (!customForm.contains(document.activeElement)) customForm.hidden = true;
      fromInput.value = toLocalInputValue(range.from);
      toInput.value = toLocalInputValue(range.to);
    },
  };
}
