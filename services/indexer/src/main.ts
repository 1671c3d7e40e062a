import { ConfigError, createLogger, describeConfig, PROJECT_VERSION, versionLine } from '@wikistream/shared';
import { configSchema, readConfig } from './config.ts';
import { createIndexer } from './indexer.ts';

/** Composition root: config, logger, the indexer, signals and the exit code. */
async function main(): Promise<void> {
  if (process.argv.includes('--describe-config')) {
    process.stdout.write(`${JSON.stringify(describeConfig(configSchema))}\n`);
    return;
  }
  if (process.argv.includes('--version')) {
    process.stdout.write(`${versionLine('indexer')}\n`);
    return;
  }
  let config: ReturnType<typeof readConfig>;
  try {
    config = readConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  const logger = createLogger({ name: 'indexer', level: config.LOG_LEVEL });
  let stopping = false;
  const stop = (exitCode: number, reason: string, error?: unknown) => {
    if (stopping) return;
    stopping = true;
    logger[exitCode === 0 ? 'info' : 'fatal']({ reason, err: error }, 'stopping');
    indexer.close().then(
      () => exit(exitCode),
      (closeError: unknown) => {
        logger.error({ err: closeError }, 'shutdown was not clean');
        exit(1);
      },
    );
  };
  const exit = (code: number) => logger.flush(() => process.exit(code));
  const indexer = createIndexer({ config, logger, onFatal: (error) => stop(1, 'consumer crashed', error) });
  process.once('SIGTERM', () => stop(0, 'SIGTERM'));
  process.once('SIGINT', () => stop(0, 'SIGINT'));
  process.on('unhandledRejection', (reason) => stop(1, 'unhandled rejection', reason));
  process.on('uncaughtException', (error) => stop(1, 'uncaught exception', error));
  try {
    await indexer.start();
    logger.info(
      {
        version: PROJECT_VERSION,
        topic: config.KAFKA_TOPIC,
        group: config.KAFKA_GROUP_ID,
        prefix: config.ES_INDEX_PREFIX,
      },
      'indexing',
    );
  } catch (error) {
    if (stopping) return;
    stop(1, 'start failed', error);
  }
}

await main();
