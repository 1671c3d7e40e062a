import { type Child, h, setChildren } from './dom.ts';

/**
 * A dashboard panel: a labelled region with a header and a body that is always in exactly one
 * of four states (loading, ready, empty, error), exposed as `data-state` for styling and tests.
 * A refresh of a panel that already shows data keeps the data and only marks the panel busy.
 */
export type PanelState = 'loading' | 'ready' | 'empty' | 'error';

export interface PanelOptions {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly className?: string;
  readonly actions?: Child[];
  /** Rows of skeleton shown on first load. */
  readonly skeletonRows?: number;
}

export interface Panel {
  readonly element: HTMLElement;
  readonly body: HTMLElement;
  /** A small area in the header for counts and badges. */
  readonly meta: HTMLElement;
  readonly state: () => PanelState;
  loading(): void;
  ready(...children: Child[]): void;
  /** Ready again with the content already shown (for content updated in place, like a chart). */
  settle(): void;
  empty(message: string): void;
  error(message: string, retry?: () => void): void;
}

function skeleton(rows: number): HTMLElement {
  const lines = Array.from({ length: rows }, (_, i) => h('div', { class: `skeleton-line w${(i % 3) + 1}` }));
  return h('div', { class: 'skeleton', 'aria-hidden': 'true' }, ...lines);
}

export function createPanel(options: PanelOptions): Panel {
  const headingId = `${options.id}-title`;
  const meta = h('div', { class: 'panel-meta' });
  const body = h('div', { class: 'panel-body' });
  const header = h(
    'header',
    { class: 'panel-header' },
    h(
      'div',
      { class: 'panel-titles' },
      h('h2', { id: headingId, class: 'panel-title' }, options.title),
      options.description ? h('p', { class: 'panel-description' }, options.description) : null,
    ),
    meta,
    ...(options.actions ?? []),
  );
  const element = h(
    'section',
    { id: options.id, class: `panel ${options.className ?? ''}`.trim(), 'aria-labelledby': headingId },
    header,
    body,
  );
  let state: PanelState = 'loading';
  const setState = (next: PanelState) => {
    state = next;
    element.dataset.state = next;
    element.removeAttribute('aria-busy');
  };
  setState('loading');
  setChildren(body, skeleton(options.skeletonRows ?? 4));
  element.setAttribute('aria-busy', 'true');

  return {
    element,
    body,
    meta,
    state: () => state,
    loading() {
      // The first load shows the skeleton; later loads keep what is shown and mark it busy.
      element.setAttribute('aria-busy', 'true');
    },
    ready(...children) {
      setState('ready');
      setChildren(body, ...children);
    },
    settle() {
      setState('ready');
    },
    empty(message) {
      setState('empty');
      setChildren(body, h('p', { class: 'panel-empty' }, message));
    },
    error(message, retry) {
      setState('error');
      setChildren(
        body,
        h(
          'div',
          { class: 'panel-error', role: 'alert' },
          h('p', {}, h('strong', {}, 'Could not load. '), message),
          retry
            ? h('button', { type: 'button', class: 'button small', onclick: () => retry() }, 'Retry')
            : null,
        ),
      );
    },
  };
}
