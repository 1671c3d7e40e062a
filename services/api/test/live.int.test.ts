import type { AddressInfo } from 'node:net';
import { type EventSummary, eventKey, type RecentChangeEvent } from '@wikistream/shared';
import { createTestTopic, testKafka, waitFor } from '@wikistream/tools/testing';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { fixtureEventList } from './support/seed.ts';
import { openSse, type SseClient } from './support/sse-client.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

const fixtures = fixtureEventList();

async function produce(topic: string, events: readonly RecentChangeEvent[]): Promise<void> {
  const producer = testKafka(inject('kafkaBrokers')).producer();
  await producer.connect();
  try {
    for (let start = 0; start < events.length; start += 500) {
      await producer.send({
        topic,
        messages: events
          .slice(start, start + 500)
          .map((event) => ({ key: eventKey(event), value: JSON.stringify(event) })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Fresh copies of fixture events (new ids), so each test's events are its own. */
function fresh(
  events: readonly RecentChangeEvent[],
  tag: string,
  extra: Partial<RecentChangeEvent> = {},
): RecentChangeEvent[] {
  return events.map((event, i) => ({ ...event, ...extra, meta: { ...event.meta, id: `${tag}-${i}` } }));
}

const changes = (client: SseClient) =>
  client.messages.filter((m) => m.event === 'change').map((m) => JSON.parse(m.data) as EventSummary);

describe('the live feed', () => {
  let api: TestApp | undefined;
  const clients: SseClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await api?.close();
  });

  async function start(env: Record<string, string> = {}) {
    const topic = await createTestTopic(inject('kafkaBrokers'), 'api-live', { partitions: 3 });
    api = await createTestApp({ topic, startFeed: true, env });
    await api.feed.ready();
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = api.app.server.address() as AddressInfo;
    const connect = async (query: string, headers: Record<string, string> = {}) => {
      const client = await openSse(`http://127.0.0.1:${port}/api/live${query}`, headers);
      clients.push(client);
      return client;
    };
    return { topic, connect };
  }

  it('delivers events produced to Kafka to an SSE client, with its filters applied', async () => {
    const { topic, connect } = await start();
    const client = await connect('?wiki=enwiki,dewiki&bot=false');
    const everyone = await connect('');
    expect(client.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(client.response.headers['content-encoding']).toBeUndefined();
    const events = fresh(
      fixtures.filter((e) => e.meta.dt.startsWith('202')),
      'filtered',
    );
    const canary = { meta: { id: 'canary-live', dt: '2026-02-26T15:49:38Z', domain: 'canary' } };
    await produce(topic, [...events, canary as RecentChangeEvent]);
    const expected = events.filter((e) => ['enwiki', 'dewiki'].includes(e.wiki ?? '') && e.bot !== true);
    expect(expected.length).toBeGreaterThan(5);
    await waitFor(() => changes(everyone).length === events.length, { timeoutMs: 20_000 });
    await waitFor(() => changes(client).length === expected.length, { timeoutMs: 5_000 });
    expect(new Set(changes(client).map((e) => e.id))).toEqual(new Set(expected.map((e) => e.meta.id)));
    expect(changes(client).every((e) => ['enwiki', 'dewiki'].includes(e.wiki ?? '') && !e.bot)).toBe(true);
    expect(changes(everyone).some((e) => e.id === 'canary-live')).toBe(false);
    const sample = changes(client)[0];
    expect(sample).toMatchObject({
      id: expect.any(String),
      dt: expect.any(String),
      type: expect.any(String),
    });
  });

  it('resumes a short gap from Last-Event-ID without losing or repeating events', async () => {
    const { topic, connect } = await start();
    const first = await connect('?type=edit');
    const before = fresh(fixtures.slice(0, 40), 'before', { type: 'edit' });
    await produce(topic, before);
    await waitFor(() => changes(first).length === 40, { timeoutMs: 20_000 });
    const lastId = first.messages.filter((m) => m.event === 'change').at(-1)?.id ?? '';
    first.close();
    const during = fresh(fixtures.slice(40, 70), 'during', { type: 'edit' });
    await produce(topic, during);
    const watcher = await connect('');
    await produce(topic, fresh(fixtures.slice(70, 71), 'marker'));
    await waitFor(() => changes(watcher).some((e) => e.id === 'marker-0'), { timeoutMs: 20_000 });
    const resumed = await connect('?type=edit', { 'last-event-id': lastId });
    await waitFor(() => changes(resumed).length >= 30, { timeoutMs: 5_000 });
    const replayed = changes(resumed).map((e) => e.id);
    expect(new Set(replayed.slice(0, 30))).toEqual(new Set(during.map((e) => e.meta.id)));
    expect(replayed.filter((id) => id.startsWith('before-'))).toEqual([]);
    expect(new Set(replayed).size).toBe(replayed.length);
    expect(resumed.messages.some((m) => m.event === 'skipped')).toBe(false);
  });

  it('tells a slow client how many events it lost instead of buffering without bound', async () => {
    const { topic, connect } = await start({ LIVE_CLIENT_BUFFER: '50', LIVE_REPLAY_EVENTS: '100' });
    const slow = await connect('');
    slow.pause();
    const long = 'x'.repeat(3_000);
    const flood = fresh(
      Array.from({ length: 6_000 }, (_, i) => fixtures[i % fixtures.length] as RecentChangeEvent),
      'flood',
      { comment: long },
    );
    await produce(topic, flood);
    let maxQueued = 0;
    await waitFor(
      () => {
        const stats = api?.hub.clientStats()[0];
        maxQueued = Math.max(maxQueued, stats?.queued ?? 0);
        return (stats?.dropped ?? 0) > 0;
      },
      { timeoutMs: 60_000, intervalMs: 20 },
    );
    expect(maxQueued).toBeLessThanOrEqual(50);
    slow.resume();
    const skippedTotal = () =>
      slow.messages
        .filter((m) => m.event === 'skipped')
        .reduce((sum, m) => sum + (JSON.parse(m.data) as { skipped: number }).skipped, 0);
    await waitFor(() => changes(slow).length + skippedTotal() === flood.length, { timeoutMs: 60_000 });
    expect(skippedTotal()).toBeGreaterThan(0);
    expect(skippedTotal()).toBe(api?.hub.clientStats()[0]?.dropped);
    expect(changes(slow)[0]?.comment?.length).toBeLessThanOrEqual(2_001);
  }, 150_000);

  it('ends open streams cleanly when the server shuts down', async () => {
    const { connect } = await start({ LIVE_HEARTBEAT_MS: '200' });
    const client = await connect('');
    await waitFor(() => client.comments.includes('heartbeat'), { timeoutMs: 5_000 });
    const started = Date.now();
    await api?.close();
    await client.ended;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(api?.hub.clientCount()).toBe(0);
  });
});
