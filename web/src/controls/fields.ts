import { h } from '../dom.ts';

/** A label above-left of its control (the custom range form). */
export function field(label: string, id: string, control: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id, class: 'field-label' }, label), control);
}

/** A control with its label inside one bordered pill, like the Type and Namespace menus. */
export function pill(label: string, id: string, control: HTMLInputElement | HTMLSelectElement): HTMLElement {
  return h(
    'div',
    { class: `pill ${control instanceof HTMLSelectElement ? 'pill-select' : ''}`.trim() },
    h('label', { for: id, class: 'pill-label' }, label),
    control,
  );
}
