import { setTimeout as sleep } from 'node:timers/promises';

/**
 * What one open dashboard asks of the api: its panels every few seconds and the live feed without
 * pause, so the api's memory is measured under its real work, not idle.
 */
export interface DashboardClient {
  readonly requests: number;
  readonly failures: number;
  readonly liveBytes: number;
  stop(): Promise<void>;
}

const PANELS = ['/api/stats?last=15m', '/api/pipeline', '/api/events?size=25', '/api/trending'];

export function startDashboardClient(apiUrl: string, refreshMs = 5000): DashboardClient {
  const state = { requests: 0, failures: 0, liveBytes: 0, stopped: false };
  const abort = new AbortController();
  const panels = (async () => {
    while (!state.stopped) {
      for (const path of PANELS) {
        state.requests++;
        const response = await fetch(`${apiUrl}${path}`, { signal: abort.signal }).catch(() => undefined);
        if (!response || response.status >= 500) state.failures++;
        await response?.arrayBuffer().catch(() => undefined);
      }
      await sleep(refreshMs, undefined, { signal: abort.signal }).catch(() => undefined);
    }
  })();
  const live = (async () => {
    while (!state.stopped) {
      const response = await fetch(`${apiUrl}/api/live`, { signal: abort.signal }).catch(() => undefined);
      const reader = response?.body?.getReader();
      for (;;) {
        const chunk = await reader?.read().catch(() => undefined);
        if (!chunk || chunk.done) break;
        state.liveBytes += chunk.value.byteLength;
      }
      if (!state.stopped) await sleep(1000);
    }
  })();
  return {
    get requests() {
      return state.requests;
    },
    get failures() {
      return state.failures;
    },
    get liveBytes() {
      return state.liveBytes;
    },
    async stop() {
      state.stopped = true;
      abort.abort();
      await Promise.all([panels, live]);
    },
  };
}
