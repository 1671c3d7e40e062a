import {
  EVENT_MAPPING,
  indexTemplate,
  indexTemplateName,
  type Logger,
  TEMPLATE_VERSION,
} from '@wikistream/shared';
import { type BackoffOptions, backoffDelay, sleep } from './backoff.ts';
import type { SearchStore } from './elasticsearch.ts';

export interface TemplateSettings {
  readonly prefix: string;
  readonly shards: number;
  readonly replicas: number;
  readonly refreshInterval: string;
}

/**
 * Pure: install unless a newer version is there. An equal version is written again, so changed
 * shard/replica/refresh settings apply to the next daily index; writing the same body twice is harmless.
 */
export function shouldInstallTemplate(
  installed: number | null | undefined,
  ours: number = TEMPLATE_VERSION,
): boolean {
  return installed === undefined || installed === null || installed <= ours;
}

/**
 * Installs the versioned index template; never downgrades one that a newer indexer installed. When
 * it raises the version, the daily indices that exist get the new fields too (a mapping only ever
 * gains fields), so today's index searches them from now on instead of from tomorrow's; documents
 * indexed before keep what they had until `pnpm reindex` re-derives them.
 */
export async function installIndexTemplate(
  store: Pick<SearchStore, 'templateVersion' | 'putTemplate' | 'putMapping'>,
  settings: TemplateSettings,
  logger: Logger,
): Promise<'installed' | 'kept-newer'> {
  const name = indexTemplateName(settings.prefix);
  const installed = await store.templateVersion(name);
  if (!shouldInstallTemplate(installed)) {
    logger.warn(
      { template: name, installed, ours: TEMPLATE_VERSION },
      'a newer index template is installed; keeping it',
    );
    return 'kept-newer';
  }
  await store.putTemplate(name, indexTemplate(settings));
  logger.info(
    { template: name, version: TEMPLATE_VERSION, previous: installed ?? null },
    'index template installed',
  );
  if (installed !== TEMPLATE_VERSION) await addFieldsToExistingIndices(store, settings.prefix, logger);
  return 'installed';
}

async function addFieldsToExistingIndices(
  store: Pick<SearchStore, 'putMapping'>,
  prefix: string,
  logger: Logger,
): Promise<void> {
  const pattern = `${prefix}-*`;
  try {
    await store.putMapping(pattern, EVENT_MAPPING);
    logger.info({ indices: pattern, version: TEMPLATE_VERSION }, 'existing indices have the new fields');
  } catch (error) {
    // An index whose mapping conflicts keeps its own; new daily indices still get the template.
    logger.warn({ err: error, indices: pattern }, 'cannot add the new fields to existing indices');
  }
}

/** Keeps trying while Elasticsearch is not reachable yet (it often starts after the indexer). */
export async function installIndexTemplateWhenReachable(
  store: Pick<SearchStore, 'templateVersion' | 'putTemplate' | 'putMapping'>,
  settings: TemplateSettings,
  logger: Logger,
  options: { backoff: BackoffOptions; signal: AbortSignal },
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await installIndexTemplate(store, settings, logger);
      return;
    } catch (error) {
      if (options.signal.aborted) throw error;
      const wait = backoffDelay(attempt, options.backoff);
      logger.warn(
        { err: error, attempt: attempt + 1, waitMs: wait },
        'cannot install the index template yet',
      );
      await sleep(wait, options.signal);
    }
  }
}
