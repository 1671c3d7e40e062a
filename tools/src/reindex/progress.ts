/** What the terminal shows about a run: which day, which step, how far, how fast, how long yet. */
export interface ProgressView {
  readonly daysDone: number;
  readonly daysTotal: number;
  /** The day being worked on, and its step. */
  readonly day?: string | undefined;
  readonly step?: string | undefined;
  /** Documents (or, reading Kafka, records) done and to do, over the whole run. */
  readonly done: number;
  readonly total: number;
  readonly unit: 'documents' | 'records';
}

const number = (value: number) => Math.round(value).toLocaleString('en-US');

/** Pure: `1h 02m`, `4m 10s`, `12s`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** Pure: one status line. The time left is the work left at the recent rate. */
export function progressLine(view: ProgressView, perSecond: number): string {
  const parts = [`[reindex] days ${view.daysDone}/${view.daysTotal}`];
  if (view.day !== undefined) parts.push(`${view.day}${view.step ? ` ${view.step}` : ''}`);
  const share = view.total > 0 ? ` (${Math.min(100, Math.floor((view.done / view.total) * 100))}%)` : '';
  parts.push(`${number(view.done)}/${number(view.total)} ${view.unit}${share}`);
  parts.push(`${number(perSecond)}/s`);
  const left = view.total - view.done;
  if (left > 0 && perSecond > 0) parts.push(`~${formatDuration((left / perSecond) * 1000)} left`);
  return parts.join(' · ');
}

/** A rate over a sliding window: samples of a growing count. */
export function createRateMeter(windowMs: number, clock: () => number) {
  const samples: { at: number; count: number }[] = [];
  return {
    sample(count: number): number {
      const at = clock();
      samples.push({ at, count });
      while (samples.length > 2 && (samples[0]?.at ?? at) < at - windowMs) samples.shift();
      const first = samples[0];
      if (first === undefined || at === first.at) return 0;
      return ((count - first.count) * 1000) / (at - first.at);
    },
  };
}

export interface Progress {
  update(view: Partial<ProgressView>): void;
  /** Prints the line now (also every interval until stopped). */
  print(): void;
  stop(): void;
  readonly view: ProgressView;
}

/** Prints the status line every `intervalMs` to `write` (stderr), and at each change of day or step. */
export function createProgress(options: {
  write: (line: string) => void;
  clock: () => number;
  intervalMs: number;
}): Progress {
  let view: ProgressView = { daysDone: 0, daysTotal: 0, done: 0, total: 0, unit: 'documents' };
  let meter = createRateMeter(10_000, options.clock);
  let rate = 0;
  const print = () => {
    rate = meter.sample(view.done);
    options.write(progressLine(view, rate));
  };
  const timer = setInterval(print, options.intervalMs);
  timer.unref();
  return {
    update(change) {
      const moved =
        (change.day !== undefined && change.day !== view.day) ||
        (change.step !== undefined && change.step !== view.step);
      // Records read and documents copied are not one count: the rate starts again.
      if (change.unit !== undefined && change.unit !== view.unit)
        meter = createRateMeter(10_000, options.clock);
      view = { ...view, ...change };
      if (moved) print();
    },
    print,
    stop: () => clearInterval(timer),
    get view() {
      return view;
    },
  };
}
