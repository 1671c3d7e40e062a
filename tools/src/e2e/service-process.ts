import { type ManagedProcess, startProcess } from '../run/child-process.ts';
import { type ServiceName, serviceCommand } from '../run/service-command.ts';
import { waitFor } from '../testing/wait-for.ts';
import { rssMb } from './process-stats.ts';

/**
 * One service as the real process it is in production: its package's `start` script
 * (`serviceCommand`) run by `startProcess`, configured only by its environment. Keeps the last
 * log lines (for failure messages) and the few facts the suites ask about.
 */
export interface ServiceProcess {
  readonly label: string;
  readonly service: ServiceName;
  readonly pid: number;
  readonly managed: ManagedProcess;
  /** Resolves with the exit code or signal name. */
  readonly exited: Promise<number | string>;
  /** Parsed JSON log entries, the newest last (bounded). */
  readonly entries: readonly Record<string, unknown>[];
  /** Every entry at error level or above, from the start (the first KEEP_ERRORS). */
  readonly errors: readonly Record<string, unknown>[];
  /** The last output lines as printed (bounded). */
  tail(lines?: number): string;
  waitForLog(predicate: (entry: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<void>;
  /** Base URL of its /metrics (producer, indexer): the port it logged. */
  metricsUrl(timeoutMs?: number): Promise<string>;
  /** Sum of every series of a metric whose labels include `labels`. */
  metric(name: string, labels?: Readonly<Record<string, string>>): Promise<number>;
  /** Resident memory now, in MiB; undefined once it has ended. */
  rss(): number | undefined;
  readonly running: boolean;
  kill(signal: NodeJS.Signals): void;
  stop(graceMs?: number): Promise<number | string>;
}

const KEEP_ENTRIES = 400;
const KEEP_LINES = 200;
const KEEP_ERRORS = 200;
/** pino's error level; fatal is 60. */
const ERROR_LEVEL = 50;

/** The variables a service process inherits besides its own configuration. */
function baseEnv(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR'];
  return Object.fromEntries(keep.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])));
}

export function startService(
  service: ServiceName,
  label: string,
  env: Readonly<Record<string, string>>,
): ServiceProcess {
  const { command, args, cwd, env: scriptEnv } = serviceCommand(service);
  const entries: Record<string, unknown>[] = [];
  const errors: Record<string, unknown>[] = [];
  const lines: string[] = [];
  let port: number | undefined;
  const managed = startProcess({
    name: label,
    command,
    args,
    cwd,
    env: { ...baseEnv(), ...scriptEnv, ...env },
    onLine(line) {
      lines.push(line);
      if (lines.length > KEEP_LINES) lines.shift();
      if (!line.startsWith('{')) return;
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (port === undefined && typeof entry.port === 'number' && String(entry.msg).includes('listening'))
          port = entry.port;
        entries.push(entry);
        if (entries.length > KEEP_ENTRIES) entries.shift();
        if (Number(entry.level) >= ERROR_LEVEL && errors.length < KEEP_ERRORS) errors.push(entry);
      } catch {
        // not a log entry: kept in the tail only
      }
    },
  });
  const pid = managed.child.pid ?? -1;
  let ended = false;
  void managed.exited.then(() => {
    ended = true;
  });
  const tail = (count = 40) => lines.slice(-count).join('\n');
  const metricsUrl = async (timeoutMs = 60_000) => {
    const bound = await waitFor(() => port ?? (ended ? -1 : undefined), {
      timeoutMs,
      message: `${label} metrics port`,
    });
    if (bound < 0) throw new Error(`${label} ended before listening:\n${tail()}`);
    return `http://127.0.0.1:${bound}`;
  };
  return {
    label,
    service,
    pid,
    managed,
    exited: managed.exited,
    entries,
    errors,
    tail,
    async waitForLog(predicate, timeoutMs = 60_000) {
      await waitFor(() => entries.some(predicate) || (ended ? 'ended' : false), {
        timeoutMs,
        message: `${label} log entry`,
      });
      if (!entries.some(predicate)) throw new Error(`${label} ended:\n${tail()}`);
    },
    metricsUrl,
    async metric(name, labels = {}) {
      const text = await (await fetch(`${await metricsUrl()}/metrics`)).text();
      return sumMetric(text, name, labels);
    },
    rss: () => (ended ? undefined : rssMb(pid)),
    get running() {
      return !ended;
    },
    kill(signal) {
      if (!ended) managed.child.kill(signal);
    },
    stop: (graceMs) => managed.stop(graceMs),
  };
}

/** Sum of the samples of `name` in a Prometheus text exposition whose labels include `labels`. */
export function sumMetric(text: string, name: string, labels: Readonly<Record<string, string>> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    const series = line.slice(0, space);
    if (series !== name && !series.startsWith(`${name}{`)) continue;
    if (wanted.every((label) => series.includes(label))) total += Number(line.slice(space + 1));
  }
  return total;
}
