import { hostname } from 'node:os';
import { ConfigError, createLogger, isWikistreamError } from '@wikistream/shared';
import { parseReindexArgs, USAGE } from './args.ts';
import { REQUEST_TIMEOUT_MS, readConfig } from './config.ts';
import { DEFAULT_TUNING } from './day-context.ts';
import { createKafkaSource } from './kafka-source.ts';
import { createProgress } from './progress.ts';
import { runReindex } from './reindex.ts';
import { createReindexStore } from './store.ts';

/** Exit codes: 0 done (or nothing to do), 1 failed, 2 bad arguments, 3 another run holds it, 130 stopped. */
const EXIT = { failed: 1, usage: 2, busy: 3, stopped: 130 } as const;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * `pnpm reindex -- --from T --to T [--source kafka|elasticsearch] [--keep-old] [--dry-run] [--abort]`:
 * the composition root. Progress goes to stderr (a status line, and the logs); the summary, or the
 * dry run's report, to stdout. Ctrl-C stops at the next safe point, saving where it was.
 */
async function main(): Promise<void> {
  let config: ReturnType<typeof readConfig>;
  let args: ReturnType<typeof parseReindexArgs>;
  try {
    config = readConfig();
    args = parseReindexArgs(process.argv.slice(2), Date.now());
  } catch (error) {
    if (!(error instanceof ConfigError) && !isWikistreamError(error)) throw error;
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = EXIT.usage;
    return;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const logger = createLogger({ name: 'reindex', level: config.LOG_LEVEL, destination: process.stderr });
  const stopping = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('[reindex] stopping at the next safe point (Ctrl-C again to kill)…\n');
    stopping.abort();
    process.once('SIGINT', () => process.exit(EXIT.stopped));
  });
  process.once('SIGTERM', () => stopping.abort());
  const store = createReindexStore({
    url: config.ELASTICSEARCH_URL,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
  });
  const progress = createProgress({
    write: (line) => process.stderr.write(`${line}\n`),
    clock: Date.now,
    intervalMs: 2_000,
  });
  try {
    const summary = await runReindex(
      {
        store,
        kafka: createKafkaSource({ brokers: config.KAFKA_BROKERS, logger }),
        prefix: config.ES_INDEX_PREFIX,
        topic: config.KAFKA_TOPIC,
        lateDays: config.EVENT_TIME_MAX_AGE_DAYS,
        logger,
        progress,
        clock: Date.now,
        self: { host: hostname(), pid: process.pid, alive },
        signal: stopping.signal,
        tuning: { ...DEFAULT_TUNING, batchSize: args.batchSize, enough: args.batchSize },
        leaseMs: config.REINDEX_LEASE_MS,
        heartbeatMs: Math.max(500, Math.floor(config.REINDEX_LEASE_MS / 5)),
        saveIntervalMs: 1_000,
        out: (line) => process.stdout.write(`${line}\n`),
      },
      args,
    );
    if (summary.outcome !== 'dry-run') process.stdout.write(`${JSON.stringify(summary)}\n`);
    if (summary.outcome === 'stopped') process.exitCode = EXIT.stopped;
  } catch (error) {
    const code = isWikistreamError(error) ? error.code : undefined;
    process.stderr.write(`reindex failed: ${error instanceof Error ? error.message : String(error)}\n`);
    logger.debug({ err: error }, 'reindex failed');
    process.exitCode =
      code === 'reindex_in_progress' ? EXIT.busy : code === 'config_invalid' ? EXIT.usage : EXIT.failed;
  } finally {
    progress.stop();
    await store.close();
  }
}

await main();
