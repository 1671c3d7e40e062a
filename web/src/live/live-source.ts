import type { EventSummary } from '@wikistream/shared';
import { LIVE_EVENT, parseChange, parseSkipped } from './live-messages.ts';

export type SourceStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface LiveSourceHandlers {
  status(status: SourceStatus): void;
  change(event: EventSummary): void;
  skipped(count: number): void;
}

export interface LiveSource {
  connect(path: string): void;
  retryNow(): void;
  close(): void;
  isOpen(): boolean;
}

const FIRST_RETRY_MS = 2000;
const MAX_RETRY_MS = 60_000;

/**
 * One EventSource to /api/live. The browser reconnects by itself after network errors, but
 * gives up on a non-200 answer (the API is down or refuses); then this retries with a delay
 * that doubles up to a minute.
 */
export function createLiveSource(
  handlers: LiveSourceHandlers,
  openSource: (url: string) => EventSource = (url) => new EventSource(url),
): LiveSource {
  let source: EventSource | null = null;
  let path: string | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryDelay = FIRST_RETRY_MS;

  const close = () => {
    source?.close();
    source = null;
    if (retryTimer !== null) clearTimeout(retryTimer);
    retryTimer = null;
  };

  const open = () => {
    if (path === null) return;
    close();
    handlers.status('connecting');
    const es = openSource(path);
    source = es;
    es.addEventListener('open', () => {
      retryDelay = FIRST_RETRY_MS;
      handlers.status('live');
    });
    es.addEventListener(LIVE_EVENT.change, (message) => {
      const event = parseChange((message as MessageEvent<string>).data);
      if (event) handlers.change(event);
    });
    es.addEventListener(LIVE_EVENT.skipped, (message) => {
      const count = parseSkipped((message as MessageEvent<string>).data);
      if (count > 0) handlers.skipped(count);
    });
    es.addEventListener('error', () => {
      if (source !== es) return;
      if (es.readyState !== EventSource.CLOSED) return handlers.status('reconnecting');
      handlers.status('offline');
      retryTimer = setTimeout(open, retryDelay);
      retryDelay = Math.min(retryDelay * 2, MAX_RETRY_MS);
    });
  };

  return {
    connect(next) {
      path = next;
      retryDelay = FIRST_RETRY_MS;
      open();
    },
    retryNow: open,
    close() {
      path = null;
      close();
    },
    isOpen: () => source?.readyState === EventSource.OPEN,
  };
}
