import { setTimeout as sleep } from 'node:timers/promises';
import { DeadLetterReason, fromDeadLetterMessage, HEADERS, PROJECT_VERSION } from '@wikistream/shared';
import { waitFor } from '@wikistream/tools/testing';
import { describe, expect, inject, it } from 'vitest';
import { PRODUCER_DEFAULTS } from '../src/defaults.ts';
import { producerEnv, replayServer, testTopics } from './support/environment.ts';
import { spawnProducer } from './support/producer-process.ts';
import { committedCursorTimestamp, metaIds, readTopic } from './support/read-topic.ts';

const brokers = inject('kafkaBrokers');

describe('the producer against a misbehaving upstream', () => {
  it('loses nothing when the upstream drops every 200 events, answers 503 for 10 s and stalls past the watchdog', async () => {
    const stallTimeoutMs = 2000;
    // About 16 s of events, so they still flow during the stall and the 503 period.
    const server = await replayServer({
      pacing: { kind: 'rate', perSecond: 300 },
      loops: 12,
      dropEvery: 200,
    });
    const topics = testTopics(brokers, 'producer-faults');
    // No USER_AGENT: the producer's default one must be accepted.
    const { USER_AGENT: _, ...env } = producerEnv(brokers, topics, server.url, {
      SINCE: String(Date.now() - 1000),
      STALL_TIMEOUT_MS: String(stallTimeoutMs),
    });
    const producer = spawnProducer(env);

    await waitFor(() => server.stats().framesSent > 500, { timeoutMs: 20_000, message: 'a few drops' });
    // Stall the open connection. One that was being dropped at that very moment closes anyway: try again.
    const stalled = await waitFor(
      async () => {
        const open = server.requests.find((r) => r.status === 200 && r.closedAt === undefined);
        if (!open) return undefined;
        server.faults.stall(4 * stallTimeoutMs);
        await sleep(300);
        return open.closedAt === undefined ? open : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 20 },
    );
    const stallStart = server.faults.stalls.at(-1)?.from as number;
    expect(server.log.exhausted).toBe(false);
    await waitFor(() => stalled.closedAt, {
      timeoutMs: 3 * stallTimeoutMs,
      message: 'the producer to drop the stalled connection',
    });
    expect((stalled.closedAt as number) - stallStart).toBeLessThan(stallTimeoutMs + 1000);
    await waitFor(
      async () => (await producer.metric('wikistream_producer_reconnects_total', { cause: 'stall' })) >= 1,
    );
    server.faults.failFor(503, 10_000);
    await waitFor(() => (server.stats().responses[503] ?? 0) > 0 && server.faults.failure() === undefined, {
      timeoutMs: 20_000,
      message: 'the 503 period to pass',
    });

    await waitFor(() => server.log.exhausted);
    const end = server.log.timestamp(server.log.length - 1) + 1;
    await waitFor(async () => (await committedCursorTimestamp(brokers, topics.cursor)) === end, {
      timeoutMs: 60_000,
      intervalMs: 500,
      message: 'the producer to commit the whole log',
    });
    expect(
      await producer.metric('wikistream_producer_reconnects_total', { cause: 'http_5xx' }),
    ).toBeGreaterThan(0);
    producer.kill('SIGTERM');
    expect(await producer.exited).toBe(0);

    const ids = metaIds(await readTopic(brokers, topics.data));
    const expected = server.log.validIds();
    expect(ids).toHaveLength(expected.length);
    expect(new Set(ids)).toEqual(new Set(expected));
    const ours = server.requests.filter((r) => r.userAgent === PRODUCER_DEFAULTS.userAgent);
    expect(ours.length).toBeGreaterThan(10);
    expect(ours.some((r) => r.status === 403)).toBe(false);
    expect(server.stats().maxOpenPerClient).toBe(1);
  });

  it('is refused with 403 when a client sends no User-Agent or a library default one, unlike the producer', async () => {
    const server = await replayServer({ pacing: { kind: 'rate', perSecond: 100 }, loops: 0 });
    for (const agent of ['', 'node', 'python-requests/2.32.3', 'okhttp/4.12.0']) {
      const response = await fetch(server.url, { headers: { 'user-agent': agent } });
      expect(response.status, agent).toBe(403);
    }
    const topics = testTopics(brokers, 'producer-agent');
    const { USER_AGENT: _, ...env } = producerEnv(brokers, topics, server.url);
    const producer = spawnProducer(env);
    await waitFor(() => server.requests.find((r) => r.userAgent === PRODUCER_DEFAULTS.userAgent)?.status);
    expect(server.requests.find((r) => r.userAgent === PRODUCER_DEFAULTS.userAgent)?.status).toBe(200);
    const ops = `http://127.0.0.1:${await producer.metricsPort()}`;
    const health = await fetch(`${ops}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', version: PROJECT_VERSION });
    await waitFor(async () => (await fetch(`${ops}/readyz`)).status === 200);
    producer.kill('SIGTERM');
    expect(await producer.exited).toBe(0);
  });

  it('dead-letters invalid and oversize events with their reason codes and never produces canaries', async () => {
    const server = await replayServer({
      pacing: { kind: 'rate', perSecond: 1000 },
      loops: 1,
      inject: { canaryEvery: 20, invalidEvery: 25, malformedEvery: 60, oversizeEvery: 150 },
    });
    const topics = testTopics(brokers, 'producer-dlq');
    const producer = spawnProducer(
      producerEnv(brokers, topics, server.url, { SINCE: String(Date.now() - 1000) }),
    );
    await waitFor(() => server.log.exhausted);
    const end = server.log.timestamp(server.log.length - 1) + 1;
    await waitFor(async () => (await committedCursorTimestamp(brokers, topics.cursor)) === end, {
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    const canaries = server.log.counts().Canary as number;
    expect(await producer.metric('wikistream_producer_canaries_total')).toBe(canaries);
    expect(await producer.metric('wikistream_producer_last_canary_age_seconds')).toBeGreaterThanOrEqual(0);
    producer.kill('SIGTERM');
    expect(await producer.exited).toBe(0);

    const data = await readTopic(brokers, topics.data);
    expect(new Set(metaIds(data))).toEqual(new Set(server.log.validIds()));
    expect(data).toHaveLength(server.log.validIds().length);
    expect(data.some((m) => m.value?.toString().includes('"domain":"canary"'))).toBe(false);

    const letters = (await readTopic(brokers, topics.deadLetter)).map((m) => fromDeadLetterMessage(m));
    const reasons: Record<string, number> = {};
    for (const letter of letters)
      reasons[letter?.reason as string] = (reasons[letter?.reason as string] ?? 0) + 1;
    expect(reasons).toEqual(server.log.expectedDeadLetters());
    for (const letter of letters) {
      expect(letter?.stage).toBe('producer');
      expect(letter?.headers?.[HEADERS.sseId]).toMatch(/^\[\{"topic":"eqiad/);
    }
    const oversize = letters.find((l) => l?.reason === DeadLetterReason.TooLarge);
    expect(oversize?.value.length).toBeGreaterThan(1024 * 1024);
    const malformed = letters.find((l) => l?.reason === DeadLetterReason.MalformedFrame);
    expect(malformed?.value.toString()).toContain('\n');
  });
});
