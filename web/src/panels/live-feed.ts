import { livePath } from '../api-query.ts';
import { h } from '../dom.ts';
import { formatInt, formatRate } from '../format.ts';
import { icon } from '../icons.ts';
import { createLiveList } from '../live/live-list.ts';
import { createLiveSource, type SourceStatus } from '../live/live-source.ts';
import { RateMeter } from '../live/rate-meter.ts';
import { createPanel, type Panel } from '../panel.ts';
import type { ViewState } from '../url-state.ts';

/**
 * The live feed panel: newest first, bounded (see live-list.ts), pause/resume, a visible count
 * of events the server skipped, and rendering batched a few times a second — not at all while
 * the tab is hidden or the feed is paused.
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

type Status = SourceStatus | 'paused';
const STATUS_TEXT: Record<Status, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  paused: 'Paused',
  offline: 'Offline',
};
const RATE_WINDOW_SECONDS = 10;

function statusBadge() {
  const text = h('span', { class: 'live-status-text' });
  const element = h(
    'span',
    { class: 'live-status', role: 'status' },
    h('span', { class: 'status-dot', 'aria-hidden': 'true' }),
    text,
  );
  return {
    element,
    set(status: Status) {
      element.dataset.status = status;
      text.textContent = STATUS_TEXT[status];
    },
  };
}

function pauseToggle(onToggle: (paused: boolean) => void): HTMLButtonElement {
  const label = h('span', {}, 'Pause');
  const glyph = h('span', { class: 'icon-slot' }, icon('pause'));
  const button = h(
    'button',
    { type: 'button', class: 'button small pause-button', 'aria-pressed': 'false' },
    glyph,
    label,
  );
  button.addEventListener('click', () => {
    const paused = button.getAttribute('aria-pressed') !== 'true';
    button.setAttribute('aria-pressed', String(paused));
    label.textContent = paused ? 'Resume' : 'Pause';
    glyph.replaceChildren(icon(paused ? 'play' : 'pause'));
    onToggle(paused);
  });
  return button;
}

export function createLiveFeed(options: LiveFeedOptions = {}): LiveFeed {
  const cap = options.cap ?? 100;
  const flushMs = options.flushMs ?? 250;
  const list = createLiveList(cap);
  const status = statusBadge();
  const skippedText = h('span', {
    class: 'chip live-skipped',
    title: 'Events the server dropped because this page fell behind',
  });
  const rateText = h('span', { class: 'chip live-rate' }, '0.0/s');
  const pendingText = h('span', { class: 'chip chip-accent live-pending', hidden: true });
  const counts = { skipped: 0, pending: 0 };
  const rate = new RateMeter(RATE_WINDOW_SECONDS, Date.now());
  let paused = false;
  let sourceStatus: SourceStatus = 'connecting';
  let flushTimer: ReturnType<typeof setTimeout> | null = null;

  const pauseButton = pauseToggle((value) => {
    paused = value;
    panel.element.classList.toggle('is-paused', paused);
    if (!paused) counts.pending = 0;
    render();
    scheduleFlush();
  });
  const panel = createPanel({
    id: 'live-feed',
    title: 'Live feed',
    description: 'New changes as they arrive, with the filters above.',
    className: 'span-7 panel-live',
    actions: [pauseButton],
    skeletonRows: 8,
  });
  panel.meta.append(status.element, pendingText, rateText, skippedText);

  function render() {
    status.set(paused ? 'paused' : sourceStatus);
    skippedText.textContent = `${formatInt(counts.skipped)} skipped`;
    pendingText.hidden = !paused || counts.pending === 0;
    pendingText.textContent = `${formatInt(counts.pending)} new`;
    // How many events wait to be drawn: never more than `cap`; exposed for tests and debugging.
    panel.element.dataset.queued = String(list.queued());
  }

  function flush() {
    flushTimer = null;
    if (paused || document.hidden) return;
    if (list.flush() > 0 && panel.state() !== 'ready') panel.ready(list.element);
    render();
  }

  function scheduleFlush() {
    if (flushTimer === null && !paused && !document.hidden) flushTimer = setTimeout(flush, flushMs);
  }

  const source = createLiveSource(
    {
      status(next) {
        sourceStatus = next;
        if (next === 'live' && panel.state() !== 'ready') panel.empty('Connected. Waiting for new changes…');
        if (next === 'offline' && panel.state() !== 'ready') {
          panel.error('The live feed is unavailable; retrying.', () => source.retryNow());
        }
        render();
      },
      change(event) {
        rate.record(Date.now());
        if (paused) counts.pending += 1;
        list.push(event);
        render();
        scheduleFlush();
      },
      skipped(count) {
        counts.skipped += count;
        render();
      },
    },
    options.openSource,
  );

  const rateTimer = setInterval(() => {
    rateText.textContent = `${formatRate(rate.perSecond(Date.now()))}/s`;
  }, 1000);
  document.addEventListener('visibilitychange', scheduleFlush);
  render();

  return {
    panel,
    connect(state) {
      list.clear();
      counts.skipped = 0;
      counts.pending = 0;
      render();
      source.connect(livePath(state));
    },
    close() {
      source.close();
      clearInterval(rateTimer);
      if (flushTimer !== null) clearTimeout(flushTimer);
      document.removeEventListener('visibilitychange', scheduleFlush);
    },
  };
}
