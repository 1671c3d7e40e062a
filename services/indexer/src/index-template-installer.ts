import {
  EVENT_MAPPING,
  indexPattern,
  indexTemplate,
  indexTemplateName,
  type Logger,
  readAlias,
  readAliasAdditions,
  TEMPLATE_VERSION,
  versionTemplate,
  versionTemplateName,
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

export type TemplateStore = Pick<
  SearchStore,
  'templateVersion' | 'putTemplate' | 'putMapping' | 'listIndices' | 'aliasMembers' | 'updateAliases'
>;

/**
 * Installs the versioned index templates (daily indices, and the versions `pnpm reindex` builds);
 * never downgrades ones that a newer indexer installed. When it raises the version, the daily
 * indices that exist get the new fields too (a mapping only ever gains fields), so today's index
 * searches them from now on instead of from tomorrow's; documents indexed before keep what they had
 * until `pnpm reindex` re-derives them. Then daily indices made before the read alias existed join
 * it (`joinReadAlias`), so an upgraded deployment is read as before without a manual step.
 */
export async function installIndexTemplate(
  store: TemplateStore,
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
    await joinReadAlias(store, settings.prefix, logger);
    return 'kept-newer';
  }
  // The versions' template first: from the moment the daily one names the read alias, a version
  // created without its own template would join that alias half-built.
  await store.putTemplate(versionTemplateName(settings.prefix), versionTemplate(settings));
  await store.putTemplate(name, indexTemplate(settings));
  logger.info(
    { template: name, version: TEMPLATE_VERSION, previous: installed ?? null },
    'index template installed',
  );
  if (installed !== TEMPLATE_VERSION) await addFieldsToExistingIndices(store, settings.prefix, logger);
  await joinReadAlias(store, settings.prefix, logger);
  return 'installed';
}

/**
 * Puts the plain daily indices that are not in the read alias into it (those made before template 4).
 * Idempotent; a day that `pnpm reindex` swaps meanwhile makes the call fail as a whole (its plain
 * index is gone), and the caller tries again with a fresh listing.
 */
export async function joinReadAlias(
  store: Pick<SearchStore, 'listIndices' | 'aliasMembers' | 'updateAliases'>,
  prefix: string,
  logger: Logger,
): Promise<number> {
  const [names, members] = await Promise.all([
    store.listIndices(indexPattern(prefix)),
    store.aliasMembers(readAlias(prefix)),
  ]);
  const additions = readAliasAdditions(prefix, names, members);
  if (additions.length === 0) return 0;
  await store.updateAliases(additions);
  logger.info(
    { alias: readAlias(prefix), indices: additions.map((action) => action.add.index) },
    'daily indices joined the read alias',
  );
  return additions.length;
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
  store: TemplateStore,
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
