import type { EventSummary, LIVE_EVENT as SHARED_LIVE_EVENT } from '@wikistream/shared';
import { livePath } from '../api-query.ts';
import { BoundedQueue } from '../bounded-queue.ts';
import { h } from '../dom.ts';
import { liveItem } from '../event-view.ts';
import { formatInt, formatRate } from '../format.ts';
import { icon } from '../icons.ts';
import { createPanel, type Panel } from '../panel.ts';
import type { ViewState } from '../url-state.ts';

/**
 * The live feed: newest first, at most `cap` rows in the DOM and at most `cap` events waiting,
 * so memory stays flat however long the page is open. Rendering is batched (a few frames per
 * second), stops while the tab is hidden or the feed is paused, and resumes with the newest.
 */
export interface LiveFeedOptions {
  readonly cap?: number;
  readonly flushMs?: number;
  readonly openSource?: (url: string) => EventSource;
}

export interface LiveFeed {
  readonly panel: Panel;
  connect(state: ViewState): void;
  close(): void;
}

/** The SSE event names, checked against the shared contract without bundling it. */
const LIVE_EVENT: typeof SHARED_LIVE_EVENT = { change: 'change', skipped: 'skipped' };

type Status = 'connecting' | 'live' | 'reconnecting' | 'paused' | 'offline';
const STATUS_TEXT: Record<Status, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  paused: 'Paused',
  offline: 'Offline',
};

function parseEvent(data: string): EventSummary | null {
  try {
    const value = JSON.parse(data) as Partial<EventSummary>;
    return typeof value.id === 'string' && typeof value.dt === 'string' && typeof value.type === 'string'
      ? (value as EventSummary)
      : null;
  } catch {
    return null;
  }
}

export function createLiveFeed(options: LiveFeedOptions = {}): LiveFeed {
  const cap = options.cap ?? 100;
  const flushMs = options.flushMs ?? 250;
  const openSource = options.openSource ?? ((url: string) => new EventSource(url));
  const queue = new BoundedQueue<EventSummary>(cap);
  const shown = new Set<string>();
  const list = h('ul', { class: 'live-list', 'aria-label': 'Changes, newest first' });
  const statusText = h('span', { class: 'live-status-text' });
  const status = h(
    'span',
    { class: 'live-status', role: 'status' },
    h('span', { class: 'status-dot', 'aria-hidden': 'true' }),
    statusText,
  );
  const skippedText = h('span', {
    class: 'chip live-skipped',
    title: 'Events the server dropped because this page fell behind',
  });
  const rateText = h('span', { class: 'chip live-rate' });
  const pendingText = h('span', { class: 'chip chip-accent live-pending', hidden: true });
  const pauseLabel = h('span', {}, 'Pause');
  const pauseIcon = h('span', { class: 'icon-slot' }, icon('pause'));
  const pauseButton = h(
    'button',
    { type: 'button', class: 'button small pause-button', 'aria-pressed': 'false' },
    pauseIcon,
    pauseLabel,
  );
  const panel = createPanel({
    id: 'live-feed',
    title: 'Live feed',
    description: 'New changes as they arrive, with the filters above.',
    className: 'span-7 panel-live',
    actions: [pauseButton],
    skeletonRows: 8,
  });
  panel.meta.append(status, pendingText, rateText, skippedText);

  let source: EventSource | null = null;
  let paused = false;
  let skipped = 0;
  let pendingWhilePaused = 0;
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryDelay = 2000;
  let arrivals = 0;
  let rateSince = Date.now();
  let current: ViewState | null = null;

  const setStatus = (next: Status) => {
    status.dataset.status = paused ? 'paused' : next;
    statusText.textContent = STATUS_TEXT[paused ? 'paused' : next];
  };
  const renderCounters = () => {
    skippedText.textContent = `${formatInt(skipped)} skipped`;
    pendingText.hidden = !paused || pendingWhilePaused === 0;
    pendingText.textContent = `${formatInt(pendingWhilePaused)} new`;
  };
  const rateTimer = setInterval(() => {
    const now = Date.now();
    rateText.textContent = `${formatRate((arrivals * 1000) / Math.max(1, now - rateSince))}/s`;
    arrivals = 0;
    rateSince = now;
  }, 5000);
  rateText.textContent = '0.0/s';

  // How many events wait to be drawn: never more than `cap`, exposed for tests and debugging.
  const showQueued = () => {
    panel.element.dataset.queued = String(queue.size);
  };
  const flush = () => {
    flushTimer = null;
    if (paused || document.hidden) return;
    const drained = queue.drain();
    showQueued();
    // Arrival order, newest first; within one batch, by event time (partitions interleave).
    const fresh = drained
      .filter((event) => !shown.has(event.id))
      .reverse()
      .sort((a, b) => Date.parse(b.dt) - Date.parse(a.dt));
    if (fresh.length === 0) return;
    const fragment = document.createDocumentFragment();
    for (const event of fresh.slice(0, cap)) {
      fragment.append(liveItem(event));
      shown.add(event.id);
    }
    list.prepend(fragment);
    while (list.childElementCount > cap) {
      const last = list.lastElementChild as HTMLElement;
      shown.delete(last.dataset.id ?? '');
      last.remove();
    }
    if (panel.state() !== 'ready') panel.ready(list);
  };
  const scheduleFlush = () => {
    if (flushTimer === null && !paused && !document.hidden) flushTimer = setTimeout(flush, flushMs);
  };
  document.addEventListener('visibilitychange', scheduleFlush);

  const onChange = (message: MessageEvent<string>) => {
    const event = parseEvent(message.data);
    if (!event) return;
    arrivals += 1;
    queue.push(event);
    showQueued();
    if (paused) {
      pendingWhilePaused += 1;
      renderCounters();
    }
    scheduleFlush();
  };
  const onSkipped = (message: MessageEvent<string>) => {
    let count = 0;
    try {
      count = Number((JSON.parse(message.data) as { skipped?: unknown }).skipped);
    } catch {
      return;
    }
    if (Number.isFinite(count) && count > 0) skipped += count;
    renderCounters();
  };

  const closeSource = () => {
    source?.close();
    source = null;
    if (retryTimer !== null) clearTimeout(retryTimer);
    retryTimer = null;
  };

  const open = () => {
    if (!current) return;
    closeSource();
    setStatus('connecting');
    const es = openSource(livePath(current));
    source = es;
    es.addEventListener('open', () => {
      retryDelay = 2000;
      setStatus('live');
      if (panel.state() !== 'ready') panel.empty('Connected. Waiting for new changes…');
    });
    es.addEventListener(LIVE_EVENT.change, onChange as EventListener);
    es.addEventListener(LIVE_EVENT.skipped, onSkipped as EventListener);
    es.addEventListener('error', () => {
      if (source !== es) return;
      if (es.readyState === EventSource.CLOSED) {
        // The browser gives up on non-200 answers; retry ourselves with a growing delay.
        setStatus('offline');
        if (panel.state() !== 'ready') panel.error('The live feed is unavailable; retrying.', open);
        retryTimer = setTimeout(open, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 60_000);
      } else setStatus('reconnecting');
    });
  };

  pauseButton.addEventListener('click', () => {
    paused = !paused;
    pauseLabel.textContent = paused ? 'Resume' : 'Pause';
    pauseIcon.replaceChildren(icon(paused ? 'play' : 'pause'));
    pauseButton.setAttribute('aria-pressed', String(paused));
    panel.element.classList.toggle('is-paused', paused);
    if (!paused) pendingWhilePaused = 0;
    setStatus(source?.readyState === EventSource.OPEN ? 'live' : 'connecting');
    renderCounters();
    scheduleFlush();
  });
  renderCounters();

  return {
    panel,
    connect(state) {
      current = state;
      queue.clear();
      showQueued();
      shown.clear();
      list.replaceChildren();
      skipped = 0;
      pendingWhilePaused = 0;
      renderCounters();
      open();
    },
    close() {
      closeSource();
      clearInterval(rateTimer);
      if (flushTimer !== null) clearTimeout(flushTimer);
      document.removeEventListener('visibilitychange', scheduleFlush);
    },
  };
}
