import { indexDayOf, readAlias } from '@wikistream/shared';
import { describe, expect, inject, it } from 'vitest';
import { waitFor } from '../../src/testing/wait-for.ts';
import { runCli } from './support/cli.ts';
import {
  checkDay,
  consumedToEnd,
  DAY,
  dayStartAgo,
  eventsOf,
  indexerReady,
  layoutOf,
  liveTraffic,
  pollApi,
  produce,
  seedOldDocuments,
  startApi,
  startPipeline,
  waitForDocuments,
} from './support/harness.ts';

const brokers = inject('kafkaBrokers');
const url = inject('elasticsearchUrl');

describe('pnpm reindex while the real indexer keeps indexing', () => {
  it('rebuilds yesterday and today from the stored documents: every document re-derived, none lost or doubled, the api answering each day whole throughout', async () => {
    const days = [dayStartAgo(1), dayStartAgo(0)];
    const seeded = eventsOf(days, 3000, 'old');
    const pipeline = await startPipeline(brokers, url, 'reindex-es', ({ client, prefix }) =>
      seedOldDocuments(client, prefix, seeded),
    );
    const { client, prefix } = pipeline;
    await indexerReady(pipeline);
    // The upgrade: the indexer put the daily indices of before the read alias into it.
    await waitFor(
      async () =>
        (await client.count({ index: readAlias(prefix), ignore_unavailable: true })).count === seeded.length,
      { timeoutMs: 30_000, message: 'the old daily indices in the read alias' },
    );
    expect((await checkDay(client, prefix, days[1] as number, seeded)).withoutKind).toBeGreaterThan(0);
    const api = await startApi(pipeline, brokers, url);
    const live = liveTraffic(brokers, pipeline.topic, days, 10);
    const polls = pollApi(api, days);
    await waitFor(() => live.sent() > 200, { message: 'live events flowing' });

    const { stdout } = await runCli(pipeline.env, [
      '--from',
      new Date(days[0] as number).toISOString(),
      '--to',
      'now',
      '--batch-size',
      '250',
    ]);
    const sentDuringRun = live.sent();
    await waitFor(() => live.sent() > sentDuringRun + 100, { message: 'live events after the run' });
    const liveEvents = await live.stop();
    const polled = await polls.stop();
    await waitForDocuments(client, prefix, seeded.length + liveEvents.length);

    const summary = JSON.parse(stdout) as {
      outcome: string;
      days: { day: string; phase: string; caughtUp: number }[];
    };
    expect(summary.outcome).toBe('done');
    expect(summary.days.map((day) => [day.day, day.phase])).toEqual(
      days.map((day) => [indexDayOf(day), 'done']),
    );
    // Events the indexer wrote to a day while it was copied were caught up, not lost.
    expect(summary.days.reduce((sum, day) => sum + day.caughtUp, 0)).toBeGreaterThan(0);
    const all = [...seeded, ...liveEvents];
    for (const day of days) {
      const found = await checkDay(client, prefix, day, all);
      expect(found, indexDayOf(day)).toMatchObject({
        lost: 0,
        doubled: 0,
        unexpected: 0,
        withoutKind: 0,
        temporaryRegistered: 0,
      });
      expect(found.documents).toBe(found.expected);
      expect(found.temporary).toBeGreaterThan(0);
    }
    // Writes that met a frozen day were refused with a 429 and retried, none dead-lettered.
    expect(await pipeline.indexer.metric('wikistream_indexer_retried_total')).toBeGreaterThan(0);
    expect(await pipeline.indexer.metric('wikistream_indexer_dead_lettered_total')).toBe(0);
    // One version per day is left, and both the read alias and the day's name lead to it.
    const names = days.map((day) => `${prefix}-${indexDayOf(day)}`);
    expect(await layoutOf(client, prefix)).toEqual({
      indices: names.map((name) => `${name}-v2`),
      aliases: names.flatMap((name) => [`${name}→${name}-v2`, `${prefix}→${name}-v2`]).sort(),
    });
    // The api answered throughout, each day never less than it held nor more than it could.
    expect(polled.length).toBeGreaterThan(20);
    expect(polled.filter((poll) => poll.status !== 200)).toEqual([]);
    for (const day of days) {
      const totals = polled.filter((poll) => poll.day === day).map((poll) => poll.total ?? -1);
      const atLeast = seeded.filter(
        (event) => Date.parse(event.meta.dt) >= day && Date.parse(event.meta.dt) < day + DAY,
      ).length;
      const atMost = all.filter((event) => indexDayOf(event.meta.dt) === indexDayOf(day)).length;
      expect(Math.min(...totals), indexDayOf(day)).toBeGreaterThanOrEqual(atLeast);
      expect(Math.max(...totals), indexDayOf(day)).toBeLessThanOrEqual(atMost);
      expect(
        totals.every((total, i) => i === 0 || total >= (totals[i - 1] as number)),
        'never fewer than before',
      ).toBe(true);
    }
  }, 240_000);

  it('rebuilds from the data topic: documents re-derived from their records, the same per day', async () => {
    const days = [dayStartAgo(1), dayStartAgo(0)];
    const seeded = eventsOf(days, 2000, 'kafka');
    // As an older indexer left them: the records in the topic, its documents in plain daily indices.
    const pipeline = await startPipeline(
      brokers,
      url,
      'reindex-kafka',
      async ({ client, prefix, topic, group }) => {
        await produce(brokers, topic, seeded);
        await seedOldDocuments(client, prefix, seeded);
        await consumedToEnd(brokers, group, topic);
      },
    );
    const { client, prefix } = pipeline;
    await indexerReady(pipeline);
    await waitForDocuments(client, prefix, seeded.length);
    expect((await checkDay(client, prefix, days[0] as number, seeded)).withoutKind).toBeGreaterThan(0);
    const live = liveTraffic(brokers, pipeline.topic, days, 10);
    await waitFor(() => live.sent() > 200, { message: 'live events flowing' });

    const { stdout } = await runCli(pipeline.env, [
      '--from',
      new Date(days[0] as number).toISOString(),
      '--to',
      'now',
      '--source',
      'kafka',
    ]);
    const liveEvents = await live.stop();
    await waitForDocuments(client, prefix, seeded.length + liveEvents.length);

    const summary = JSON.parse(stdout) as { outcome: string; days: { phase: string }[] };
    expect(summary.outcome).toBe('done');
    expect(summary.days.map((day) => day.phase)).toEqual(['done', 'done']);
    const all = [...seeded, ...liveEvents];
    for (const day of days) {
      const found = await checkDay(client, prefix, day, all);
      expect(found, indexDayOf(day)).toMatchObject({ lost: 0, doubled: 0, unexpected: 0, withoutKind: 0 });
      expect(found.documents).toBe(found.expected);
    }
    // Built from the records: the old documents now carry their records' partitions (seeded: 0).
    const partitions = await client.search({
      index: readAlias(prefix),
      size: 0,
      query: { terms: { 'meta.id': seeded.slice(0, 1000).map((event) => event.meta.id) } },
      aggs: { partitions: { terms: { field: 'pipeline.kafka_partition' } } },
    });
    const buckets =
      (partitions.aggregations?.partitions as { buckets: unknown[] } | undefined)?.buckets ?? [];
    expect(buckets.length).toBe(3);
  }, 240_000);
});
