import type { ReplayStats } from './server.ts';

/** One status line: what has been served, how fast, and to how many clients. */
export function progressLine(now: ReplayStats, before: ReplayStats | undefined, elapsedMs: number): string {
  const rate =
    before === undefined ? 0 : ((now.framesSent - before.framesSent) * 1000) / Math.max(elapsedMs, 1);
  const mb = (now.bytesSent / 1024 / 1024).toFixed(1);
  const log = `${now.logLength.toLocaleString('en-US')} in log${now.exhausted ? ' (complete)' : ''}`;
  return `[replay] ${now.framesSent.toLocaleString('en-US')} events served (${Math.round(rate).toLocaleString('en-US')}/s, ${mb} MB), ${log}, ${now.openConnections} client(s)`;
}
