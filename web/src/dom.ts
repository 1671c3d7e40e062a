import { isSafeHref } from './links.ts';

/**
 * The one way the dashboard builds DOM. Text always becomes a text node; there is no path to
 * innerHTML. `href` values are checked again here, whatever built them.
 */
export type Child = Node | string | number | null | undefined | false;
type Listener = (event: Event) => void;
export type Props = Record<string, string | number | boolean | null | undefined | Listener>;

const SVG_NS = 'http://www.w3.org/2000/svg';

function applyProps(element: Element, props: Props): void {
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') {
      element.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'href' && !isSafeHref(String(value))) {
      throw new Error('refusing an unsafe href');
    } else {
      element.setAttribute(key === 'className' ? 'class' : key, value === true ? '' : String(value));
    }
  }
}

function appendChildren(element: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  applyProps(element, props);
  appendChildren(element, children);
  return element;
}

export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  applyProps(element, props);
  appendChildren(element, children);
  return element;
}

/** Replaces an element's children. */
export function setChildren(element: Element, ...children: Child[]): void {
  element.replaceChildren();
  appendChildren(element, children);
}

/** A link to a wiki when the URL could be built, plain text otherwise. */
export function wikiLink(href: string | null, text: string, props: Props = {}): HTMLElement {
  // dir=auto isolates right-to-left titles and names from the text around them.
  if (!href) return h('span', { class: props.class as string | undefined, dir: 'auto' }, text);
  return h('a', { dir: 'auto', ...props, href, rel: 'noopener noreferrer external', target: '_blank' }, text);
}

let idCounter = 0;
export function uniqueId(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}
