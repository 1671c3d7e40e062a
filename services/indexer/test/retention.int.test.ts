import {
  createLogger,
  dailyIndexName,
  EVENT_MAPPING,
  indexTemplate,
  indexTemplateName,
  readAlias,
  TEMPLATE_VERSION,
  versionTemplateName,
} from '@wikistream/shared';
import { createTestIndexPrefix, testElasticsearch } from '@wikistream/tools/testing';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { createSearchStore } from '../src/elasticsearch.ts';
import { installIndexTemplate } from '../src/index-template-installer.ts';
import { createRetentionJob } from '../src/retention-job.ts';

const url = inject('elasticsearchUrl');
const logger = createLogger({ name: 'test', level: 'silent' });
const DAY = 24 * 3600 * 1000;

function clients() {
  const client = testElasticsearch(url);
  const store = createSearchStore({ url, requestTimeoutMs: 10_000 });
  onTestFinished(async () => {
    await client.close();
    await store.close();
  });
  return { client, store };
}

describe('retention and the index template against a real Elasticsearch', () => {
  it('deletes exactly the daily indices older than the retention, also when two indexers run it at once', async () => {
    const prefix = createTestIndexPrefix(url, 'idx-retention');
    const { client, store } = clients();
    const now = new Date();
    const day = (daysAgo: number) => dailyIndexName(prefix, new Date(now.getTime() - daysAgo * DAY));
    const kept = [
      day(0),
      day(1),
      `${day(1)}-v2`,
      day(6),
      day(7),
      `${prefix}-restored`,
      `${prefix}-x-2001.01.01`,
    ];
    const expired = [day(8), `${day(8)}-v3`, day(9), `${day(10)}-v2`, day(30), `${prefix}-2019.01.01`];
    for (const index of [...kept, ...expired]) await client.indices.create({ index });
    // A rebuilt day: its name is an alias of its newest version, which goes with the version.
    await client.indices.updateAliases({
      actions: [{ add: { index: `${day(10)}-v2`, alias: day(10), is_write_index: true } }],
    });

    const job = () =>
      createRetentionJob({ store, prefix, retentionDays: 7, intervalMs: 60_000, logger, now: () => now });
    const [first, second] = await Promise.all([job().runOnce(), job().runOnce()]);

    expect([...new Set([...first, ...second])].sort()).toEqual([...expired].sort());
    const remaining = await store.listIndices(`${prefix}*`);
    expect(remaining.sort()).toEqual([...kept].sort());
    expect(await store.aliasMembers(day(10))).toEqual(new Set());
  });

  it('puts the daily indices of an upgraded deployment into the read alias, and new days join it as they are created', async () => {
    const prefix = createTestIndexPrefix(url, 'idx-read-alias');
    const { client, store } = clients();
    const settings = { prefix, shards: 1, replicas: 0, refreshInterval: '1s' };
    // As template 3 left them: daily indices, no read alias.
    const { aliases: _none, ...older } = indexTemplate(settings).template;
    await client.indices.putIndexTemplate({
      name: indexTemplateName(prefix),
      ...indexTemplate(settings),
      version: 3,
      template: older,
    });
    const before = [`${prefix}-2026.12.04`, `${prefix}-2026.12.05`];
    for (const index of [...before, `${prefix}-2026.12.03-v2`]) await client.indices.create({ index });
    expect(await store.aliasMembers(readAlias(prefix))).toEqual(new Set());

    expect(await installIndexTemplate(store, settings, logger)).toBe('installed');
    expect(await store.templateVersion(versionTemplateName(prefix))).toBe(TEMPLATE_VERSION);
    expect(await store.aliasMembers(readAlias(prefix))).toEqual(new Set(before));

    await client.indices.create({ index: `${prefix}-2026.12.06` });
    await client.indices.create({ index: `${prefix}-2026.12.06-v2` });
    expect(await store.aliasMembers(readAlias(prefix))).toEqual(new Set([...before, `${prefix}-2026.12.06`]));
  });

  it('installs the versioned template idempotently and never replaces a newer one', async () => {
    const prefix = createTestIndexPrefix(url, 'idx-template');
    const { client, store } = clients();
    const settings = { prefix, shards: 1, replicas: 0, refreshInterval: '5s' };
    expect(await installIndexTemplate(store, settings, logger)).toBe('installed');
    expect(await installIndexTemplate(store, settings, logger)).toBe('installed');
    expect(await store.templateVersion(indexTemplateName(prefix))).toBe(TEMPLATE_VERSION);

    await client.indices.create({ index: `${prefix}-2026.02.26` });
    const created = await client.indices.getSettings({ index: `${prefix}-2026.02.26` });
    expect(created[`${prefix}-2026.02.26`]?.settings?.index?.refresh_interval).toBe('5s');

    const newer = { ...indexTemplate(settings), version: TEMPLATE_VERSION + 1 };
    await client.indices.putIndexTemplate({ name: indexTemplateName(prefix), ...newer });
    expect(await installIndexTemplate(store, settings, logger)).toBe('kept-newer');
    expect(await store.templateVersion(indexTemplateName(prefix))).toBe(TEMPLATE_VERSION + 1);
  });

  it('adds the fields of a newer template to the daily indices that exist, so the index of today searches them at once', async () => {
    const prefix = createTestIndexPrefix(url, 'idx-upgrade');
    const { client, store } = clients();
    const settings = { prefix, shards: 1, replicas: 0, refreshInterval: '1s' };
    // Today's index as an older indexer made it: the mapping of before `editor_kind`.
    const { editor_kind: _added, ...olderFields } = EVENT_MAPPING.properties;
    const today = dailyIndexName(prefix, new Date());
    const older = { ...indexTemplate(settings), version: TEMPLATE_VERSION - 1 };
    await client.indices.putIndexTemplate({
      name: indexTemplateName(prefix),
      ...older,
      template: { ...older.template, mappings: { dynamic: false, properties: olderFields } },
    });
    await client.indices.create({ index: today });
    await client.indices.create({ index: `${prefix}_rollup-2026.02.26` });

    expect(await installIndexTemplate(store, settings, logger)).toBe('installed');
    const mapping = await client.indices.getMapping({ index: today });
    expect(mapping[today]?.mappings.properties?.editor_kind).toEqual({ type: 'keyword' });
    // Only the daily indices of the prefix: not another family that shares its start.
    const rollup = await client.indices.getMapping({ index: `${prefix}_rollup-2026.02.26` });
    expect(rollup[`${prefix}_rollup-2026.02.26`]?.mappings.properties?.editor_kind).toBeUndefined();

    await client.index({ index: today, id: 'a', refresh: true, document: { editor_kind: 'temporary' } });
    const found = await client.count({ index: today, query: { term: { editor_kind: 'temporary' } } });
    expect(found.count).toBe(1);
  });
});
