import { type ChildProcess, spawn } from 'node:child_process';
import { eventKey, type PipelineResponse, type RecentChangeEvent } from '@wikistream/shared';
import {
  createTestIndexPrefix,
  createTestTopic,
  deleteConsumerGroups,
  deleteTopics,
  retime,
  serviceCommand,
  testKafka,
  uniqueName,
  validFixtureEvents,
  waitFor,
} from '@wikistream/tools/testing';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { createTestApp } from './support/test-app.ts';

const V1 = '/mediawiki/recentchange/1.0.0';
const V2 = '/mediawiki/recentchange/2.0.0';

/** A real indexer process (its `start` script), stopped with SIGTERM when the test ends. */
function startIndexer(env: Record<string, string>): { child: ChildProcess; stop(): Promise<number | null> } {
  const { command, args, cwd, env: scriptEnv } = serviceCommand('indexer');
  const child = spawn(command, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...scriptEnv, METRICS_PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  return { child, stop };
}

describe('schema drift in /api/pipeline', () => {
  it('shows what two real indexers counted: events per $schema version, unknown fields with counts and first sightings, each event once', async () => {
    const brokers = inject('kafkaBrokers');
    const url = inject('elasticsearchUrl');
    const topic = await createTestTopic(brokers, 'api-drift', { partitions: 4 });
    const group = uniqueName('api-drift-indexer');
    const prefix = createTestIndexPrefix(url, 'api-drift');
    onTestFinished(async () => {
      await deleteTopics(brokers, [`${topic}.dlq`]);
      await deleteConsumerGroups(brokers, [group]);
    });
    const env = {
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC: topic,
      KAFKA_GROUP_ID: group,
      ELASTICSEARCH_URL: url,
      ES_INDEX_PREFIX: prefix,
      KAFKA_SESSION_TIMEOUT_MS: '8000',
      KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
      BULK_CHUNK_SIZE: '50',
      DRIFT_FLUSH_INTERVAL_MS: '300',
    };
    const indexers = [startIndexer(env), startIndexer(env)];
    const api = await createTestApp({ prefix, topic, env: { KAFKA_GROUP_ID: group } });
    onTestFinished(() => api.close());
    const read = async () =>
      (await api.app.inject({ method: 'GET', url: '/api/pipeline' })).json() as PipelineResponse;
    await waitFor(
      async () => {
        const { indexers: group } = await read();
        return group.members.length === 2 && group.members.every((member) => member.partitions.length > 0);
      },
      { timeoutMs: 60_000, message: 'two indexers sharing the partitions' },
    );

    const before = await read();
    expect(before.drift.schemas).toEqual([]);
    const produced = Date.now();
    const events: RecentChangeEvent[] = validFixtureEvents()
      .slice(0, 300)
      .map((event, n) => {
        const moved = retime(event, produced - 60_000 + n, `${topic}-${n}`);
        if (n < 120) return { ...moved, $schema: V1 };
        return {
          ...moved,
          $schema: V2,
          performer: { user_text: 'Someone', is_temp: false },
          ...(n % 3 === 0 ? { is_temp: true } : {}),
        };
      });
    const producer = testKafka(brokers).producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: events.map((event) => ({ key: eventKey(event), value: JSON.stringify(event) })),
    });
    await producer.disconnect();

    const total = (report: PipelineResponse) => report.drift.schemas.reduce((all, s) => all + s.events, 0);
    const report = await waitFor(
      async () => {
        const answer = await read();
        return total(answer) === events.length ? answer : undefined;
      },
      { timeoutMs: 60_000, message: `drift counts of ${events.length} events` },
    );
    const isTemp = events.filter((event) => event.is_temp === true).length;
    expect(report.unavailable).not.toContain('drift');
    expect(Date.parse(report.drift.to) - Date.parse(report.drift.from)).toBe(86_400_000);
    expect(
      report.drift.schemas.map(({ schema, events, otherFields }) => [schema, events, otherFields]),
    ).toEqual([
      [V2, 180, 0],
      [V1, 120, 0],
    ]);
    expect(report.drift.schemas[1]?.unknownFields).toEqual([]);
    const fields = report.drift.schemas[0]?.unknownFields ?? [];
    expect(fields.map(({ name, count }) => [name, count])).toEqual([
      ['performer', 180],
      ['is_temp', isTemp],
    ]);
    for (const field of fields) {
      expect(Date.parse(field.firstSeen)).toBeGreaterThanOrEqual(produced - 1_000);
      expect(Date.parse(field.firstSeen)).toBeLessThanOrEqual(Date.now());
    }

    // Both stop, flushing once more each: the counts stay those of each event once.
    expect(await Promise.all(indexers.map((indexer) => indexer.stop()))).toEqual([0, 0]);
    const after = await read();
    expect(after.drift.schemas.map(({ schema, events }) => [schema, events])).toEqual([
      [V2, 180],
      [V1, 120],
    ]);
    expect(after.drift.schemas[0]?.unknownFields).toEqual(fields);
  }, 150_000);
});
