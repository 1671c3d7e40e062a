import {
  ErrorCode,
  indexPattern,
  indexTemplate,
  indexTemplateName,
  type Logger,
  readAlias,
  readAliasAdditions,
  TEMPLATE_VERSION,
  versionTemplate,
  versionTemplateName,
  WikistreamError,
} from '@wikistream/shared';
import type { ReindexStore } from './store.ts';

type Settings = Record<string, unknown>;

/** Pure: shards, replicas and refresh interval of an installed template's settings, where set. */
export function templateOptions(settings: Settings | undefined) {
  const index = (settings?.index ?? settings ?? {}) as Settings;
  const pick = (key: string) => index[key] ?? settings?.[`index.${key}`];
  const number = (key: string) => (pick(key) === undefined ? undefined : Number(pick(key)));
  const refresh = pick('refresh_interval');
  return {
    shards: number('number_of_shards'),
    replicas: number('number_of_replicas'),
    refreshInterval: refresh === undefined ? undefined : String(refresh),
  };
}

/**
 * Makes sure the templates this code builds versions with are installed (an indexer of this
 * release does it at start; the re-index does not wait for one): the versions template, without
 * which a new version would join the read alias half-built, and the daily template at this version.
 * Keeps the installed shards, replicas and refresh interval. A newer template means newer code
 * derives the documents: re-indexing with this one would take fields away, so it refuses.
 * Then the daily indices made before the read alias join it, as the indexer does.
 */
export async function ensureTemplates(store: ReindexStore, prefix: string, logger: Logger): Promise<void> {
  const daily = indexTemplateName(prefix);
  const installed = await store.templateVersion(daily);
  if (typeof installed === 'number' && installed > TEMPLATE_VERSION)
    throw new WikistreamError(
      ErrorCode.ConfigInvalid,
      `the index template ${daily} is version ${installed}, newer than this code's ${TEMPLATE_VERSION}: re-index with the newer release`,
    );
  const versions = await store.templateVersion(versionTemplateName(prefix));
  if (installed !== TEMPLATE_VERSION || versions !== TEMPLATE_VERSION) {
    const options = { prefix, ...withoutUndefined(templateOptions(await store.templateSettings(daily))) };
    await store.putTemplate(versionTemplateName(prefix), versionTemplate(options));
    await store.putTemplate(daily, indexTemplate(options));
    logger.info(
      { template: daily, version: TEMPLATE_VERSION, previous: installed ?? null },
      'index templates installed',
    );
  }
  const [names, members] = await Promise.all([
    store.aliases(indexPattern(prefix)),
    store.aliasMembers(readAlias(prefix)),
  ]);
  const additions = readAliasAdditions(prefix, Object.keys(names), members);
  await store.updateAliases(additions);
  if (additions.length > 0)
    logger.info(
      { indices: additions.map((action) => action.add.index) },
      'daily indices joined the read alias',
    );
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
