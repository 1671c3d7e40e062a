import { parseArgs } from 'node:util';
import type { ReplayOptions } from './server.ts';

/** `pnpm replay -- FILE... [options]`, parsed into server options plus scheduled faults. */
export interface ScheduledFault {
  readonly kind: 'fail' | 'stall';
  readonly status?: number;
  readonly durationMs: number;
  readonly afterMs: number;
}

export interface ReplayArgs {
  readonly files: string[];
  readonly options: Omit<ReplayOptions, 'files' | 'source'>;
  readonly scheduled: ScheduledFault[];
  readonly help: boolean;
}

export const USAGE = `Usage: pnpm replay -- [FILE...] [options]
Serves NDJSON recentchange events (default: the recorded fixtures) as an EventStreams endpoint
at http://HOST:PORT/v2/stream/recentchange.
  --rate N|max           events per second, or as fast as clients read (default: recorded spacing)
  --speed X              recorded spacing divided by X (default 1)
  --loop K               passes over the files, 0 = forever (default 1); copies get new meta.ids
  --port P --host H      listen address (default 8092 on 127.0.0.1; 0 = any free port)
  --history DURATION     how far back Last-Event-ID/since can resume (default 7d)
  --max-connections N    concurrent streams per client IP before 429 (default 2)
  --drop-every N         drop each connection after N events
  --fail STATUS:DURATION[@AFTER]   answer STATUS (503, 429, …) for DURATION, AFTER server start
  --stall DURATION[@AFTER]         open connections stop sending for DURATION
  --canary-interval DURATION   a canary event this often, also once the files are done (default 30s, 0 = none)
  --canary-every N --malformed-every N --invalid-every N --oversize-every N
                         inject one such event after every N recorded events
  --hostile-every N      after every N recorded events, one hostile event in turn:
                         nested 10,000 deep, meta.dt in year 9999, meta.dt in 1970
Durations: 500ms, 10s, 2m, 1h, 7d or plain milliseconds.`;

export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) throw new Error(`not a duration: ${text}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? 'ms'] ?? 1;
  return Math.round(Number(match[1]) * unit);
}

function count(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new Error(`--${name} must be a whole number, got ${text}`);
  return Number(text);
}

function scheduled(kind: 'fail' | 'stall', text: string): ScheduledFault {
  const [spec = '', after] = text.split('@');
  const afterMs = after === undefined ? 0 : parseDuration(after);
  if (kind === 'stall') return { kind, durationMs: parseDuration(spec), afterMs };
  const [status, duration] = spec.split(':');
  if (!/^\d{3}$/.test(status ?? '') || duration === undefined) {
    throw new Error(`--fail wants STATUS:DURATION[@AFTER], got ${text}`);
  }
  return { kind, status: Number(status), durationMs: parseDuration(duration), afterMs };
}

export function parseReplayArgs(argv: readonly string[]): ReplayArgs {
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      rate: { type: 'string' },
      speed: { type: 'string' },
      loop: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      history: { type: 'string' },
      'max-connections': { type: 'string' },
      'drop-every': { type: 'string' },
      fail: { type: 'string', multiple: true },
      stall: { type: 'string', multiple: true },
      'canary-every': { type: 'string' },
      'canary-interval': { type: 'string' },
      'malformed-every': { type: 'string' },
      'invalid-every': { type: 'string' },
      'oversize-every': { type: 'string' },
      'hostile-every': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  let pacing: ReplayOptions['pacing'] = { kind: 'speed', factor: 1 };
  if (values.rate === 'max') pacing = { kind: 'max' };
  else if (values.rate !== undefined) pacing = { kind: 'rate', perSecond: positive(values.rate, 'rate') };
  else if (values.speed !== undefined) pacing = { kind: 'speed', factor: positive(values.speed, 'speed') };
  return {
    files: positionals,
    help: values.help === true,
    options: {
      pacing,
      loops: count(values.loop, 'loop') ?? 1,
      port: count(values.port, 'port') ?? 8092,
      host: values.host ?? '127.0.0.1',
      ...(values.history === undefined ? {} : { historyMs: parseDuration(values.history) }),
      maxConnectionsPerClient: count(values['max-connections'], 'max-connections') ?? 2,
      canaryIntervalMs: parseDuration(values['canary-interval'] ?? '30s'),
      dropEvery: count(values['drop-every'], 'drop-every') ?? 0,
      inject: {
        canaryEvery: count(values['canary-every'], 'canary-every') ?? 0,
        malformedEvery: count(values['malformed-every'], 'malformed-every') ?? 0,
        invalidEvery: count(values['invalid-every'], 'invalid-every') ?? 0,
        oversizeEvery: count(values['oversize-every'], 'oversize-every') ?? 0,
        hostileEvery: count(values['hostile-every'], 'hostile-every') ?? 0,
      },
    },
    scheduled: [
      ...(values.fail ?? []).map((text) => scheduled('fail', text)),
      ...(values.stall ?? []).map((text) => scheduled('stall', text)),
    ],
  };
}

function positive(text: string, name: string): number {
  const value = Number(text);
  if (!(value > 0)) throw new Error(`--${name} must be a positive number or max, got ${text}`);
  return value;
}
