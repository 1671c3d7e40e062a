import type { Client } from '@elastic/elasticsearch';
import { indexDayOf, readAlias } from '@wikistream/shared';
import { describe, expect, inject, it } from 'vitest';
import { FREEZE_SETTING } from '../../src/reindex/freeze.ts';
import { createTestIndexPrefix, testElasticsearch } from '../../src/testing/elasticsearch.ts';
import { createTestTopic } from '../../src/testing/kafka.ts';
import { runCli, startCli } from './support/cli.ts';
import { DAY, dayStartAgo, eventsOf, produce, seedOldDocuments } from './support/harness.ts';
import { args, type Call, killableStore, reindexDeps, runReindex, testStore } from './support/in-process.ts';

const brokers = inject('kafkaBrokers');
const url = inject('elasticsearchUrl');

/** Everything a run could change: indices and their documents, aliases, templates, settings. */
async function snapshot(client: Client, prefix: string) {
  await client.indices.refresh({ index: `${prefix}*` });
  const indices = await client.cat.indices({
    index: `${prefix}*`,
    format: 'json',
    h: ['index', 'docs.count'],
  });
  const aliases = await client.indices.getAlias({ index: `${prefix}*` });
  const templates = await client.indices.getIndexTemplate({ name: `${prefix}*` }, { ignore: [404] });
  const settings = await client.indices.getSettings({ index: `${prefix}*`, flat_settings: true });
  return {
    indices: indices.map((row) => `${row.index}:${row['docs.count']}`).sort(),
    aliases,
    templates: (templates.index_templates ?? []).map((entry) => [entry.name, entry.index_template.version]),
    blocks: Object.entries(settings).map(([index, entry]) => [
      index,
      Object.keys(entry.settings ?? {}).filter((key) => key.startsWith('index.blocks')),
    ]),
  };
}

async function setUp(name: string, perDay: number) {
  const prefix = createTestIndexPrefix(url, name);
  const client = testElasticsearch(url);
  const days = [dayStartAgo(2), dayStartAgo(1)];
  const events = eventsOf(days, perDay, name);
  await seedOldDocuments(client, prefix, events);
  return { prefix, client, days, events };
}

describe('pnpm reindex: dry run, a run in the way, rolling back', () => {
  it('says in a dry run what it would do, for either source, and changes nothing', async () => {
    const { prefix, client, days } = await setUp('reindex-dry', 300);
    const topic = await createTestTopic(brokers, 'reindex-dry', { partitions: 2 });
    await produce(brokers, topic, eventsOf(days, 50, 'dry-topic'));
    const before = await snapshot(client, prefix);
    const env = {
      ELASTICSEARCH_URL: url,
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC: topic,
      ES_INDEX_PREFIX: prefix,
    };
    const window = [
      '--from',
      new Date(days[0] as number).toISOString(),
      '--to',
      new Date((days[0] as number) + 3 * DAY).toISOString(),
    ];

    const { stdout } = await runCli(env, [...window, '--dry-run']);
    const [one, two] = days.map((day) => `${prefix}-${indexDayOf(day)}`);
    expect(stdout).toContain('Dry run: nothing is changed.');
    expect(stdout).toContain(`Installs index template version`);
    expect(stdout).toContain(`${one} (plain, 300 documents) → ${one}-v2; ${one} is deleted`);
    expect(stdout).toContain(`${two} (plain, 300 documents) → ${two}-v2`);
    expect(stdout).toContain(`${indexDayOf((days[0] as number) + 2 * DAY)}  no index: nothing to rebuild`);
    const fromKafka = await runCli(env, [...window, '--dry-run', '--source', 'kafka', '--keep-old']);
    expect(fromKafka.stdout).toContain(`its documents are kept in ${one}-v1`);
    expect(fromKafka.stdout).toMatch(/Reads 100 records of \S+ \(2 partitions/);

    expect(await snapshot(client, prefix)).toEqual(before);
    expect(await client.indices.exists({ index: `${prefix}_reindex` })).toBe(false);
    await client.close();
  });

  it('refuses a second run while the first holds the window, and --abort rolls the first back', async () => {
    const { prefix, client, days } = await setUp('reindex-abort', 500);
    const before = await snapshot(client, prefix);
    const day = days[0] as number;
    const current = `${prefix}-${indexDayOf(day)}`;
    // A run that dies with the day frozen (as if killed): its lease still fresh.
    const dying = reindexDeps({
      url,
      brokers,
      prefix,
      topic: 'unused',
      pid: 100,
      store: killableStore(
        testStore(url),
        (call: Call) =>
          call.method === 'putSettings' && (call.args[1] as Record<string, unknown>)[FREEZE_SETTING] === true,
      ),
    });
    await expect(runReindex(dying, args(day, day + DAY))).rejects.toThrow('killed');
    const env = { ELASTICSEARCH_URL: url, ES_INDEX_PREFIX: prefix };
    const window = ['--from', new Date(day).toISOString(), '--to', new Date(day + DAY).toISOString()];

    const busy = await startCli(env, window).done;
    expect(busy.code).toBe(3);
    expect(busy.stderr).toContain('another re-index is running');

    // Its lease gone by, the run is the user's to finish or roll back; another window is refused.
    const later = { ...env, REINDEX_LEASE_MS: '1000' };
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const other = await startCli(later, ['--from', new Date(days[1] as number).toISOString(), '--to', 'now'])
      .done;
    expect(other.code).toBe(3);
    expect(other.stderr).toContain('--abort');
    const dry = await runCli(later, ['--abort', '--dry-run']);
    expect(dry.stdout).toContain('would roll back the unfinished run');

    const aborted = await runCli(later, ['--abort']);
    expect(JSON.parse(aborted.stdout)).toMatchObject({
      outcome: 'aborted',
      days: [{ phase: 'rolled-back' }],
    });
    const after = await snapshot(client, prefix);
    expect(after.indices).toEqual([...before.indices, `${prefix}_reindex:1`].sort());
    expect(after.blocks.filter(([, keys]) => (keys?.length ?? 0) > 0)).toEqual([]);
    expect(await client.indices.existsAlias({ name: current })).toBe(false);
    // The frozen day takes writes again.
    await client.index({
      index: current,
      id: 'after-abort',
      document: { meta: { id: 'after-abort' } },
      refresh: true,
    });
    // And a new run goes through.
    const done = await runCli(later, window);
    expect(JSON.parse(done.stdout)).toMatchObject({
      outcome: 'done',
      days: [{ phase: 'done', to: `${current}-v2` }],
    });
    expect(Object.keys(await client.indices.getAlias({ name: readAlias(prefix) })).sort()).toEqual(
      [`${current}-v2`, `${prefix}-${indexDayOf(days[1] as number)}`].sort(),
    );
    await client.close();
  });

  it('keeps the replaced versions with --keep-old, as they were, read-only and outside the read alias, from either source', async () => {
    const { prefix, client, days, events } = await setUp('reindex-keep', 400);
    const topic = await createTestTopic(brokers, 'reindex-keep', { partitions: 2 });
    await produce(brokers, topic, events);
    const env = {
      ELASTICSEARCH_URL: url,
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC: topic,
      ES_INDEX_PREFIX: prefix,
    };
    const day = `${prefix}-${indexDayOf(days[0] as number)}`;
    const window = [
      '--from',
      new Date(days[0] as number).toISOString(),
      '--to',
      new Date(days[1] as number).toISOString(),
    ];
    const kindless = (index: string) =>
      client.count({ index, query: { bool: { must_not: { exists: { field: 'editor_kind' } } } } });

    // A plain index: its name becomes the alias, so its documents are kept in -v1, as they were.
    await runCli(env, [...window, '--keep-old', '--source', 'kafka']);
    // And again: the rebuilt version is kept as it is.
    await runCli(env, [...window, '--keep-old']);

    expect(
      (await client.cat.indices({ index: `${day}*`, format: 'json', h: ['index', 'docs.count'] }))
        .map((row) => `${row.index}:${row['docs.count']}`)
        .sort(),
    ).toEqual([`${day}-v1:400`, `${day}-v2:400`, `${day}-v3:400`]);
    expect((await kindless(`${day}-v1`)).count).toBe(400);
    expect((await kindless(`${day}-v2`)).count).toBe(0);
    const blocks = await client.indices.getSettings({ index: `${day}-v1,${day}-v2`, flat_settings: true });
    for (const index of [`${day}-v1`, `${day}-v2`])
      expect(blocks[index]?.settings?.['index.blocks.write']).toBe('true');
    const aliases = await client.indices.getAlias({ index: `${day}*` });
    expect(Object.keys(aliases[`${day}-v3`]?.aliases ?? {}).sort()).toEqual([prefix, day].sort());
    expect(aliases[`${day}-v1`]?.aliases).toEqual({});
    expect(aliases[`${day}-v2`]?.aliases).toEqual({});
    await client.close();
  });
});
