import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEventLog, type EventLog, type InjectionOptions } from './event-log.ts';
import { createFaults, type Faults } from './faults.ts';
import { type Pacer, type Pacing, startPacer } from './pacer.ts';
import { loadSource, type SourceEvent } from './source-events.ts';
import { openStream, type RequestRecord, type StreamContext } from './stream-request.ts';

/**
 * An EventStreams-compatible `recentchange` endpoint serving recorded events: the same wire format,
 * resume semantics, User-Agent rule and per-client connection limit as stream.wikimedia.org, plus
 * switchable faults. Importable (tests start it in-process) and wrapped by `pnpm replay`.
 */
export interface ReplayOptions {
  /** NDJSON files, one event a line, served in the order given. */
  readonly files?: readonly string[];
  /** Or events given directly (tests). */
  readonly source?: readonly SourceEvent[];
  /** Default: the recording's own spacing (`speed` 1). */
  readonly pacing?: Pacing;
  /** Passes over the recording (default 1); 0 = forever. */
  readonly loops?: number;
  readonly port?: number;
  readonly host?: string;
  readonly inject?: InjectionOptions;
  readonly dropEvery?: number;
  /** How far back a resume can go (default 7 days); older cursors silently start at "now". */
  readonly historyMs?: number;
  /** A canary every this many ms whatever the pacing (default 0 = none), so a finished log stays alive. */
  readonly canaryIntervalMs?: number;
  /** Concurrent streams per client IP before 429 (default 2, as EventStreams' config template). */
  readonly maxConnectionsPerClient?: number;
}

export interface ReplayStats {
  readonly logLength: number;
  readonly exhausted: boolean;
  readonly framesSent: number;
  readonly bytesSent: number;
  readonly openConnections: number;
  readonly maxOpenPerClient: number;
  readonly responses: Readonly<Record<string, number>>;
}

export interface ReplayServer {
  /** The stream URL, e.g. http://127.0.0.1:PORT/v2/stream/recentchange. */
  readonly url: string;
  readonly port: number;
  /** Recorded events in one pass. */
  readonly sourceSize: number;
  readonly log: EventLog;
  readonly faults: Faults;
  /** Every stream request, newest last (bounded). */
  readonly requests: readonly RequestRecord[];
  stats(): ReplayStats;
  close(): Promise<void>;
}

export const STREAM_TOPICS = ['eqiad.mediawiki.recentchange', 'codfw.mediawiki.recentchange'] as const;
export const DEFAULT_HISTORY_MS = 7 * 24 * 3600 * 1000;

export async function startReplayServer(options: ReplayOptions): Promise<ReplayServer> {
  const source = options.source ?? loadSource(options.files ?? []).events;
  const log = createEventLog({
    source,
    loops: options.loops ?? 1,
    topic: STREAM_TOPICS[0],
    inject: options.inject ?? {},
  });
  const faults = createFaults({ dropEvery: options.dropEvery ?? 0 });
  const pacer: Pacer = startPacer(log, options.pacing ?? { kind: 'speed', factor: 1 });
  const canaries =
    options.canaryIntervalMs && options.canaryIntervalMs > 0
      ? setInterval(() => log.appendCanary(Date.now()), options.canaryIntervalMs).unref()
      : undefined;
  const context: StreamContext = {
    log,
    pacer,
    faults,
    historyMs: options.historyMs ?? DEFAULT_HISTORY_MS,
    maxConnectionsPerClient: options.maxConnectionsPerClient ?? 2,
    topics: STREAM_TOPICS,
    requests: [],
    openByClient: new Map(),
    counters: { framesSent: 0, bytesSent: 0, maxOpenPerClient: 0, responses: {} },
  };
  const server = createServer((req, res) => route(req, res, context));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/v2/stream/recentchange`,
    port,
    sourceSize: source.length,
    log,
    faults,
    requests: context.requests,
    stats: () => ({
      logLength: log.length,
      exhausted: log.exhausted,
      framesSent: context.counters.framesSent,
      bytesSent: context.counters.bytesSent,
      openConnections: [...context.openByClient.values()].reduce((sum, n) => sum + n, 0),
      maxOpenPerClient: context.counters.maxOpenPerClient,
      responses: { ...context.counters.responses },
    }),
    close() {
      closing ??= new Promise<void>((resolve) => {
        pacer.stop();
        clearInterval(canaries);
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function route(req: IncomingMessage, res: ServerResponse, context: StreamContext): void {
  const url = new URL(req.url ?? '/', 'http://replay');
  if (req.method !== 'GET') {
    res.writeHead(405).end();
    return;
  }
  if (url.pathname === '/' || url.pathname === '') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ name: 'wikistream replay server', streams: ['recentchange'] }));
    return;
  }
  const match = /^\/v2\/stream\/([^/]+)$/.exec(url.pathname);
  if (!match) {
    res.writeHead(404, { 'content-type': 'application/problem+json' });
    res.end(JSON.stringify({ status: 404, type: 'not_found', title: 'Not found', detail: url.pathname }));
    return;
  }
  openStream(req, res, url, decodeURIComponent(match[1] ?? ''), context);
}
