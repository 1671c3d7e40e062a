import { parseArgs } from 'node:util';
import { ErrorCode, WikistreamError } from '@wikistream/shared';

export const SOURCES = ['elasticsearch', 'kafka'] as const;
export type ReindexSource = (typeof SOURCES)[number];

export interface ReindexArgs {
  /** The window, in ms: every UTC day it touches is rebuilt whole. */
  readonly from: number;
  readonly to: number;
  readonly source: ReindexSource;
  readonly dryRun: boolean;
  readonly keepOld: boolean;
  /** Roll back an unfinished run instead of finishing it. */
  readonly abort: boolean;
  /** Documents per search page and bulk request. */
  readonly batchSize: number;
  readonly help: boolean;
}

export const USAGE = `Usage: pnpm reindex -- --from TIME --to TIME [options]
Rebuilds every daily index the window touches into a new version (<prefix>-YYYY.MM.DD-vN),
re-deriving each document with the current code, then swaps the day's aliases in one atomic call.
The pipeline keeps running: events indexed meanwhile are caught up, none lost or doubled.
  --from TIME, --to TIME   the window (to excluded): ISO date or time, ms since the epoch, or "now"
  --source elasticsearch   from the stored documents (default): any day retention still keeps
  --source kafka           from the data topic's records, which must still hold the whole window
  --keep-old               keep the replaced versions (read-only, outside the read alias)
  --dry-run                say what would be done, change nothing
  --abort                  roll back an unfinished run (its versions not swapped yet are deleted)
  --batch-size N           documents per page and bulk request (default 1000)
Interrupted (Ctrl-C, or killed), the same command resumes where it stopped.
Environment (the indexer's): ELASTICSEARCH_URL, ES_INDEX_PREFIX, KAFKA_BROKERS, KAFKA_TOPIC,
RETENTION_DAYS, EVENT_TIME_MAX_AGE_DAYS, LOG_LEVEL; REINDEX_LEASE_MS (30000).
Exit codes: 0 done, 1 failed, 2 bad arguments, 3 another run holds the window, 130 stopped.`;

/** Pure: a time argument → ms since the epoch. */
export function parseTime(text: string, now: number): number {
  const trimmed = text.trim();
  if (trimmed === 'now') return now;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // A bare date is midnight UTC (Date.parse already reads YYYY-MM-DD so); a time needs its zone.
  if (/^\d{4}-\d{2}-\d{2}T/.test(trimmed) && !/(Z|[+-]\d{2}:?\d{2})$/.test(trimmed))
    throw invalid(`"${text}" has no time zone: add Z or an offset`);
  const ms = Date.parse(trimmed);
  if (Number.isNaN(ms)) throw invalid(`not a time: "${text}"`);
  return ms;
}

/** Pure: command-line arguments → options. A leading `--` (as pnpm passes it) is ignored. */
export function parseReindexArgs(argv: readonly string[], now: number): ReindexArgs {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv.filter((arg, i) => !(i === 0 && arg === '--'))).values;
  } catch (error) {
    throw invalid(error instanceof Error ? error.message : String(error));
  }
  const help = values.help === true;
  const abort = values.abort === true;
  const source = values.source ?? 'elasticsearch';
  if (!(SOURCES as readonly string[]).includes(source))
    throw invalid(`--source must be one of ${SOURCES.join(', ')}, got "${source}"`);
  const batch = values['batch-size'] ?? '1000';
  if (!/^\d+$/.test(batch) || Number(batch) < 1 || Number(batch) > 10_000)
    throw invalid(`--batch-size must be a whole number from 1 to 10000, got "${batch}"`);
  const base = {
    source: source as ReindexSource,
    dryRun: values['dry-run'] === true,
    keepOld: values['keep-old'] === true,
    abort,
    batchSize: Number(batch),
    help,
  };
  if (help) return { ...base, from: 0, to: 0 };
  if (values.from === undefined || values.to === undefined) {
    if (abort && values.from === undefined && values.to === undefined) return { ...base, from: 0, to: 0 };
    throw invalid('--from and --to are both needed');
  }
  const from = parseTime(values.from, now);
  const to = parseTime(values.to, now);
  if (!(from < to)) throw invalid('--from must be before --to');
  return { ...base, from, to };
}

function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      source: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'keep-old': { type: 'boolean' },
      abort: { type: 'boolean' },
      'batch-size': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function invalid(message: string): WikistreamError {
  return new WikistreamError(ErrorCode.ConfigInvalid, `${message}\n${USAGE}`);
}
