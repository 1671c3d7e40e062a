import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dailyIndexName, HEADERS, indexPattern, type RecentChangeEvent } from '@wikistream/shared';
import { fixtureLines, testElasticsearch, waitFor } from '@wikistream/tools/testing';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { generatedId, loopedEvents, record, type TestRecord } from './support/events.ts';
import { counter, startIndexer } from './support/in-process.ts';
import { countDocuments, missingIds, produce, readTopic, testPipeline } from './support/pipeline.ts';

const brokers = inject('kafkaBrokers');
const url = inject('elasticsearchUrl');
const REDRIVE = fileURLToPath(new URL('../src/dlq-redrive.ts', import.meta.url));

const envFor = (
  pipeline: { topic: string; group: string; prefix: string },
  extra: Record<string, string> = {},
) => ({
  KAFKA_BROKERS: brokers,
  KAFKA_TOPIC: pipeline.topic,
  KAFKA_GROUP_ID: pipeline.group,
  ELASTICSEARCH_URL: url,
  ES_INDEX_PREFIX: pipeline.prefix,
  BULK_RETRY_MAX_MS: '1000',
  ...extra,
});

/** Runs `dlq:redrive` as users do (a leading `--` included) and returns its JSON summary. */
function redrive(
  env: Record<string, string>,
  args: string[],
): Promise<{ redriven: number; byReason: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--disable-warning=TimeoutNegativeWarning', REDRIVE, '--', ...args],
      {
        env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`exit ${code}: ${err}`)),
    );
  });
}

describe('indexer against real Kafka and Elasticsearch', () => {
  it('indexes every recorded fixture event, in both shapes and every type, without a mapping error', async () => {
    const pipeline = await testPipeline(brokers, url, 'idx-fixtures', 3);
    const lines = fixtureLines();
    const extra: RecentChangeEvent = {
      // log_params as a string: allowed by the schema, never seen in recordings.
      meta: { id: 'string-log-params', dt: '2024-02-07T13:01:59Z', domain: 'commons.wikimedia.org' },
      type: 'log',
      log_type: 'upload',
      log_action: 'upload',
      log_params: 'img_sha1=abc\nimg_timestamp=20240207130159',
    };
    const records: TestRecord[] = [
      ...lines.map(({ text }) => ({ id: undefined, key: null, value: text, headers: {} })),
      record(extra),
    ];
    await produce(brokers, pipeline.topic, records);
    // Recorded events go back to 2017: retention must not delete them under the test's feet.
    const indexer = await startIndexer(envFor(pipeline, { RETENTION_DAYS: '36500' }));

    await waitFor(async () => (await counter(indexer, 'indexed')).total === records.length, {
      timeoutMs: 60_000,
      message: 'all fixture events indexed',
    });
    expect(await counter(indexer, 'deadLettered')).toEqual({});
    expect(await countDocuments(url, pipeline.prefix)).toBe(lines.length + 1);
    const lag = (await indexer.metrics.lag.get()).values;
    expect(lag.map((value) => value.labels.partition).sort()).toEqual(['0', '1', '2']);
    expect(lag.every((value) => value.value === 0)).toBe(true);
    const client = testElasticsearch(url);
    try {
      const types = await client.search({
        index: indexPattern(pipeline.prefix),
        size: 0,
        aggs: { types: { terms: { field: 'type' } } },
      });
      const { buckets } = (types.aggregations?.types ?? { buckets: [] }) as { buckets: { key: string }[] };
      expect(buckets.map((bucket) => bucket.key).sort()).toEqual(['categorize', 'edit', 'log', 'new']);
      // A legacy-shape event (meta.schema_uri, a +00:00 offset) sits in the index of its UTC day.
      const legacy = lines
        .map(({ text }) => JSON.parse(text) as RecentChangeEvent)
        .find((event) => event.meta.schema_uri !== undefined && event.meta.dt.endsWith('+00:00'));
      if (!legacy) throw new Error('no legacy fixture event with an offset');
      const found = await client.get({
        index: dailyIndexName(pipeline.prefix, legacy.meta.dt),
        id: legacy.meta.id,
      });
      expect(found.found).toBe(true);
      const stored = await client.get<RecentChangeEvent>({
        index: `${pipeline.prefix}-2024.02.07`,
        id: 'string-log-params',
      });
      expect(stored._source?.log_params).toBe(extra.log_params);
    } finally {
      await client.close();
    }
  });

  it('dead-letters invalid and rejected events with their reason, and re-drives them after a fix', async () => {
    const pipeline = await testPipeline(brokers, url, 'idx-dlq', 2);
    const env = envFor(pipeline);
    const indexer = await startIndexer(env);
    // An operator blocked writes to one day's index: its events are rejected (403) until that is lifted.
    // Three days back: within the accepted event times, apart from the other events' days.
    const blockedTime = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const blocked = dailyIndexName(pipeline.prefix, blockedTime);
    const client = testElasticsearch(url);
    onTestFinished(() => client.close());
    await client.indices.create({ index: blocked });
    await client.indices.putSettings({ index: blocked, settings: { 'index.blocks.write': true } });

    const valid = loopedEvents(50, pipeline.topic);
    const base = JSON.parse(valid[0]?.value as string) as RecentChangeEvent;
    const variant = (n: number, fields: Partial<RecentChangeEvent>) =>
      record({
        ...base,
        ...fields,
        meta: { ...base.meta, id: generatedId(`${pipeline.topic}-bad`, n), ...fields.meta },
      });
    const invalidJson = [1, 2].map((n) => ({
      id: undefined,
      key: null,
      value: `{"meta": {"id": "broken-${n}"`,
      headers: { [HEADERS.sseId]: `s${n}` },
    }));
    const wrongType = [variant(3, { namespace: 'zero' as never })];
    const missingId = [{ ...variant(4, {}), value: JSON.stringify({ ...base, meta: { dt: base.meta.dt } }) }];
    const tooBig = [variant(5, { namespace: 2 ** 40 }), variant(6, { length: { old: 1, new: 2 ** 40 } })];
    const fixable = [7, 8].map((n) =>
      variant(n, { meta: { id: generatedId(`${pipeline.topic}-bad`, n), dt: blockedTime } }),
    );
    const canary = record({
      meta: { id: generatedId(`${pipeline.topic}-bad`, 9), dt: base.meta.dt, domain: 'canary' },
    });
    await produce(brokers, pipeline.topic, [
      canary,
      ...valid.slice(0, 20),
      ...invalidJson,
      ...wrongType,
      ...tooBig,
      ...valid.slice(20, 40),
      ...missingId,
      ...fixable,
      ...valid.slice(40),
    ]);

    const letters = await readTopic(brokers, pipeline.deadLetterTopic, 8);
    await waitFor(async () => (await countDocuments(url, pipeline.prefix)) === 50, {
      message: 'the valid events indexed',
    });
    const reasons = (values: TestRecord[]) =>
      letters.filter((l) => values.some((v) => v.value === l.value)).map((l) => l.headers[HEADERS.reason]);
    expect(reasons(invalidJson)).toEqual(['invalid_json', 'invalid_json']);
    expect(reasons(wrongType)).toEqual(['wrong_type']);
    expect(reasons(missingId)).toEqual(['missing_meta_id']);
    expect(reasons(tooBig)).toEqual(['es_rejected', 'es_rejected']);
    expect(reasons(fixable)).toEqual(['es_rejected', 'es_rejected']);
    const first = letters.find((l) => l.value === invalidJson[0]?.value);
    expect(first?.headers).toMatchObject({
      [HEADERS.sseId]: 's1',
      [HEADERS.stage]: 'indexer',
      [HEADERS.sourceTopic]: pipeline.topic,
    });
    expect(first?.headers[HEADERS.sourceOffset]).toMatch(/^\d+$/);
    expect(first?.headers[HEADERS.sourcePartition]).toMatch(/^[01]$/);
    // The canary was resolved without being indexed or dead-lettered.
    expect(await counter(indexer, 'skipped')).toEqual({ canary: 1 });
    expect(await missingIds(url, pipeline.prefix, [canary.id as string])).toEqual([canary.id]);
    expect(letters.find((l) => l.value === tooBig[0]?.value)?.headers[HEADERS.detail]).toMatch(/namespace/);
    expect(letters.find((l) => l.value === fixable[0]?.value)?.headers[HEADERS.detail]).toMatch(/403/);
    expect(await counter(indexer, 'deadLettered')).toEqual({
      invalid_json: 2,
      wrong_type: 1,
      missing_meta_id: 1,
      es_rejected: 4,
    });

    // The fix: lift the block, then re-drive what Elasticsearch rejected.
    await client.indices.putSettings({ index: blocked, settings: { 'index.blocks.write': false } });
    expect(await redrive(env, ['--reason', 'es_rejected'])).toMatchObject({
      redriven: 4,
      byReason: { es_rejected: 4 },
    });
    await waitFor(
      async () =>
        (
          await missingIds(
            url,
            pipeline.prefix,
            fixable.map((f) => f.id as string),
          )
        ).length === 0,
      {
        timeoutMs: 30_000,
        message: 'the fixed events indexed',
      },
    );
    // The still-broken ones are back in the DLQ (marked as re-driven); nothing else was re-driven.
    const after = await readTopic(brokers, pipeline.deadLetterTopic, 10);
    expect(after).toHaveLength(10);
    const again = after.filter((l) => l.headers['redriven-from'] !== undefined);
    expect(again.map((l) => l.headers[HEADERS.reason])).toEqual(['es_rejected', 'es_rejected']);
    expect(again.map((l) => l.value).sort()).toEqual(tooBig.map((r) => r.value).sort());
    expect(await countDocuments(url, pipeline.prefix)).toBe(52);
    // A second run only sees entries written since (its cursor moved); --limit caps a run.
    expect(await redrive(env, ['--reason', 'invalid_json', '--limit', '1'])).toMatchObject({ redriven: 1 });
    expect(await redrive(env, ['--reason', 'es_rejected'])).toMatchObject({ redriven: 2 });
  });
});
