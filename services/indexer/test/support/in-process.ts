import { createLogger } from '@wikistream/shared';
import { onTestFinished } from 'vitest';
import { readConfig } from '../../src/config.ts';
import { createIndexer, type Indexer } from '../../src/indexer.ts';

/** An indexer inside the test process (same wiring as main.ts), closed when the test finishes. */
export async function startIndexer(env: Record<string, string>): Promise<Indexer> {
  const indexer = createIndexer({
    config: readConfig({ METRICS_PORT: '0', ...env }),
    logger: createLogger({ name: 'indexer-test', level: 'silent' }),
  });
  onTestFinished(() => indexer.close());
  await indexer.start();
  return indexer;
}

export async function counter(
  indexer: Indexer,
  name: 'indexed' | 'consumed' | 'deadLettered' | 'skipped',
): Promise<Record<string, number>> {
  const values = (await indexer.metrics[name].get()).values;
  return Object.fromEntries(values.map((value) => [String(value.labels.reason ?? 'total'), value.value]));
}
