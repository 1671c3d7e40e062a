import { h, s } from '../dom.ts';
import { icon } from '../icons.ts';
import type { Theme } from '../theme.ts';

export interface Header {
  readonly element: HTMLElement;
  /** Where the pipeline freshness badge goes. */
  readonly status: HTMLElement;
  setUpdated(text: string, stateClass: 'ok' | 'error' | 'busy'): void;
  setTheme(theme: Theme): void;
}

function logo(): SVGSVGElement {
  return s(
    'svg',
    { class: 'logo', viewBox: '0 0 32 32', 'aria-hidden': 'true' },
    s('rect', { x: '1', y: '1', width: '30', height: '30', rx: '8', class: 'logo-bg' }),
    s('polyline', { points: '5,17 10,17 13,9 17,24 20,13 22,17 27,17', class: 'logo-line' }),
  );
}

export function createHeader(actions: { refresh(): void; toggleTheme(): void }): Header {
  const status = h('div', { class: 'header-status' });
  const updated = h('span', { class: 'updated', role: 'status', 'aria-live': 'polite' }, 'Loading…');
  const themeButton = h('button', {
    type: 'button',
    class: 'icon-button theme-toggle',
    onclick: () => actions.toggleTheme(),
  });
  const refreshButton = h(
    'button',
    { type: 'button', class: 'button small', onclick: () => actions.refresh(), title: 'Refresh now' },
    icon('refresh'),
    'Refresh',
  );
  const element = h(
    'header',
    { class: 'app-header' },
    h(
      'div',
      { class: 'brand' },
      logo(),
      h(
        'div',
        {},
        h('h1', { class: 'brand-name' }, 'wikistream'),
        h('p', { class: 'brand-tagline' }, 'Every change on every Wikimedia wiki, live'),
      ),
    ),
    h('div', { class: 'header-end' }, status, updated, refreshButton, themeButton),
  );
  return {
    element,
    status,
    setUpdated(text, stateClass) {
      updated.textContent = text;
      updated.dataset.state = stateClass;
    },
    setTheme(theme) {
      const next = theme === 'dark' ? 'light' : 'dark';
      themeButton.setAttribute('aria-label', `Switch to ${next} theme`);
      themeButton.title = `Switch to ${next} theme`;
      themeButton.replaceChildren(icon(theme === 'dark' ? 'sun' : 'moon'));
    },
  };
}
