import type { EventSummary } from '@wikistream/shared';
import { BoundedQueue } from '../bounded-queue.ts';
import { h } from '../dom.ts';
import { liveItem } from '../event-view.ts';
import { newestFirst } from './live-messages.ts';

export interface LiveList {
  readonly element: HTMLUListElement;
  /** Events waiting to be drawn (never more than the cap). */
  queued(): number;
  push(event: EventSummary): void;
  /** Draws what is waiting, newest on top; returns how many rows were added. */
  flush(): number;
  clear(): void;
}

/**
 * The rows of the live feed: at most `cap` waiting and at most `cap` in the DOM, so a page left
 * open for hours holds the same memory as after a minute.
 */
export function createLiveList(cap: number): LiveList {
  const queue = new BoundedQueue<EventSummary>(cap);
  const shown = new Set<string>();
  const element = h('ul', { class: 'live-list', 'aria-label': 'Changes, newest first' });

  const trim = () => {
    while (element.childElementCount > cap) {
      const last = element.lastElementChild as HTMLElement;
      shown.delete(last.dataset.id ?? '');
      last.remove();
    }
  };

  return {
    element,
    queued: () => queue.size,
    push: (event) => queue.push(event),
    flush() {
      const fresh = newestFirst(queue.drain(), shown).slice(0, cap);
      if (fresh.length === 0) return 0;
      const fragment = document.createDocumentFragment();
      for (const event of fresh) {
        fragment.append(liveItem(event));
        shown.add(event.id);
      }
      element.prepend(fragment);
      trim();
      return fresh.length;
    },
    clear() {
      queue.clear();
      shown.clear();
      element.replaceChildren();
    },
  };
}
