import { createWriteStream, type WriteStream } from 'node:fs';
import { DEFAULTS } from '@wikistream/shared';
import { EventSource, type FetchLike } from 'eventsource';

/**
 * Captures the EventStreams feed into an NDJSON file the replay server can serve: one event a
 * line, exactly as the `data:` line carried it (meta.ids included). It reconnects by itself,
 * resuming 1 ms before the last id (so events sharing that millisecond are not lost) and
 * skipping meta.ids it already wrote.
 */
export interface RecordOptions {
  readonly out: string;
  readonly url?: string;
  readonly userAgent?: string;
  /** Stop after this long (default: until maxEvents or the signal). */
  readonly minutes?: number;
  readonly maxEvents?: number;
  readonly lastEventId?: string;
  readonly since?: string;
  readonly keepCanaries?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: RecordProgress) => void;
}

export interface RecordProgress {
  events: number;
  canaries: number;
  skipped: number;
  reconnects: number;
  lastEventId: string | undefined;
}

export const RECORDER_AGENT = 'wikistream-recorder/0.1.0 (https://github.com/wikistream/wikistream)';
const SEEN_LIMIT = 10_000;

/** The id with every timestamp 1 ms earlier: a resume then includes the rest of that millisecond. */
export function rewindOneMillisecond(id: string): string {
  try {
    const entries = JSON.parse(id) as { timestamp?: number }[];
    return JSON.stringify(
      entries.map((e) => (e.timestamp === undefined ? e : { ...e, timestamp: e.timestamp - 1 })),
    );
  } catch {
    return id;
  }
}

interface Run {
  readonly progress: RecordProgress;
  readonly file: WriteStream;
  readonly seen: Set<string>;
  readonly order: string[];
  done: boolean;
}

function accept(run: Run, options: RecordOptions, data: string, id: string): void {
  let meta: { id?: string; domain?: string } | undefined;
  try {
    meta = (JSON.parse(data) as { meta?: { id?: string; domain?: string } }).meta;
  } catch {
    meta = undefined;
  }
  if (id) run.progress.lastEventId = id;
  if (meta?.domain === 'canary' && !options.keepCanaries) {
    run.progress.canaries++;
    return;
  }
  if (meta?.id !== undefined) {
    if (run.seen.has(meta.id)) {
      run.progress.skipped++;
      return;
    }
    run.seen.add(meta.id);
    run.order.push(meta.id);
    if (run.order.length > SEEN_LIMIT) run.seen.delete(run.order.shift() as string);
  }
  run.file.write(`${data}\n`);
  run.progress.events++;
  if (options.maxEvents !== undefined && run.progress.events >= options.maxEvents) run.done = true;
}

/** One connection; resolves when it ends (error, end, or done). */
function connect(run: Run, options: RecordOptions): Promise<void> {
  const url = new URL(options.url ?? DEFAULTS.eventStreamsUrl);
  const lastEventId = run.progress.lastEventId ?? options.lastEventId;
  if (lastEventId === undefined && options.since !== undefined) url.searchParams.set('since', options.since);
  const fetchWithHeaders: FetchLike = (input, init) => {
    const headers: Record<string, string> = {
      ...init.headers,
      'User-Agent': options.userAgent ?? RECORDER_AGENT,
    };
    if (lastEventId !== undefined) headers['Last-Event-ID'] = rewindOneMillisecond(lastEventId);
    return fetch(input, { ...init, headers });
  };
  return new Promise((resolve) => {
    const source = new EventSource(url, { fetch: fetchWithHeaders });
    const finish = () => {
      source.close();
      options.signal?.removeEventListener('abort', finish);
      resolve();
    };
    options.signal?.addEventListener('abort', finish);
    source.addEventListener('message', (event: MessageEvent) => {
      accept(run, options, event.data as string, event.lastEventId);
      options.onProgress?.(run.progress);
      if (run.done) finish();
    });
    source.addEventListener('error', finish);
  });
}

export async function record(options: RecordOptions): Promise<RecordProgress> {
  const run: Run = {
    progress: { events: 0, canaries: 0, skipped: 0, reconnects: 0, lastEventId: undefined },
    file: createWriteStream(options.out, { flags: 'w' }),
    seen: new Set(),
    order: [],
    done: false,
  };
  const controller = new AbortController();
  const timer =
    options.minutes === undefined
      ? undefined
      : setTimeout(() => controller.abort(), options.minutes * 60_000);
  options.signal?.addEventListener('abort', () => controller.abort());
  const scoped = { ...options, signal: controller.signal };
  try {
    let failures = 0;
    while (!run.done && !controller.signal.aborted) {
      const before = run.progress.events + run.progress.canaries + run.progress.skipped;
      await connect(run, scoped);
      if (run.done || controller.signal.aborted) break;
      run.progress.reconnects++;
      // Quick after a connection that delivered, slower and slower after ones that did not.
      const delivered = run.progress.events + run.progress.canaries + run.progress.skipped > before;
      failures = delivered ? 0 : failures + 1;
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** failures, 30_000)));
    }
  } finally {
    clearTimeout(timer);
    await new Promise((resolve) => run.file.end(resolve));
  }
  return run.progress;
}
