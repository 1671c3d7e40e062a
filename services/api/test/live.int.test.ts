import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
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

/** A summary as the feed publishes it, straight into the hub (Kafka is tested above). */
const summary = (id: string, comment: string | null = null): EventSummary => ({
  id,
  dt: new Date().toISOString(),
  wiki: 'enwiki',
  serverUrl: 'https://en.wikipedia.org',
  type: 'edit',
  namespace: 0,
  title: 'Page',
  user: 'Editor',
  bot: false,
  anonymous: false,
  editorKind: 'registered',
  minor: false,
  comment,
  byteDelta: 1,
  revision: null,
  logType: null,
  logAction: null,
});

/** The JSON body of a refused stream. */
const body = async (client: SseClient) => {
  let text = '';
  for await (const chunk of client.response) text += String(chunk);
  return JSON.parse(text) as { code: string; message: string };
};

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
    const connect = async (query: string, headers: Record<string, string> = {}, raw = false) => {
      const client = await openSse(`http://127.0.0.1:${port}/api/live${query}`, headers, raw);
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

  it('disconnects a client that stopped reading once its socket has not drained for the limit, while a reading client keeps going', async () => {
    const { connect } = await start({
      LIVE_BLOCKED_TIMEOUT_MS: '1000',
      LIVE_CLIENT_BUFFER: '20000',
      LIVE_HEARTBEAT_MS: '200',
    });
    const stalled = await connect('');
    stalled.pause();
    const reader = await connect('');
    const comment = 'x'.repeat(2_000);
    let published = 0;
    const started = Date.now();
    await waitFor(
      () => {
        for (let i = 0; i < 200; i += 1) api?.hub.publish(summary(`flood-${published++}`, comment));
        return api?.hub.clientCount() === 1;
      },
      { timeoutMs: 30_000, intervalMs: 50, message: 'the stalled client was never evicted' },
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    // The connection is gone: once the client reads again, its stream stops short.
    stalled.resume();
    await Promise.race([
      stalled.ended,
      sleep(10_000).then(() => {
        throw new Error('the stalled stream is still open');
      }),
    ]);
    expect(stalled.response.complete).toBe(false);
    api?.hub.publish(summary('after-eviction'));
    await waitFor(() => changes(reader).some((e) => e.id === 'after-eviction'), { timeoutMs: 20_000 });
    const ids = changes(reader).map((e) => e.id);
    expect(ids).toEqual([...Array.from({ length: published }, (_, i) => `flood-${i}`), 'after-eviction']);
    expect(reader.messages.some((m) => m.event === 'skipped')).toBe(false);
    expect(api?.hub.clientCount()).toBe(1);
    expect(api?.logs.some((line) => line.msg === 'live client evicted: not reading')).toBe(true);
  }, 90_000);

  it('caps the streams of one client address with a 429 and Retry-After, and frees a slot when one closes', async () => {
    const { connect } = await start({ LIVE_MAX_CLIENTS_PER_ADDRESS: '2' });
    const first = await connect('');
    const second = await connect('?wiki=enwiki');
    expect([first.response.statusCode, second.response.statusCode]).toEqual([200, 200]);
    const third = await connect('', {}, true);
    expect(third.response.statusCode).toBe(429);
    expect(third.response.headers['retry-after']).toMatch(/^[1-9][0-9]*$/);
    expect((await body(third)).code).toBe('too_many_streams');
    first.close();
    await waitFor(async () => (await connect('', {}, true)).response.statusCode === 200, {
      timeoutMs: 5_000,
    });
  });

  it('counts the clients behind a trusted proxy by their own addresses', async () => {
    const { connect } = await start({ LIVE_MAX_CLIENTS_PER_ADDRESS: '1', TRUST_PROXY: '127.0.0.1' });
    const one = await connect('', { 'x-forwarded-for': '203.0.113.1' });
    const other = await connect('', { 'x-forwarded-for': '203.0.113.2' });
    const again = await connect('', { 'x-forwarded-for': '198.51.100.9, 203.0.113.1' }, true);
    expect([one.response.statusCode, other.response.statusCode, again.response.statusCode]).toEqual([
      200, 200, 429,
    ]);
  });

  it('answers with 503 and Retry-After when every live slot is taken', async () => {
    const { connect } = await start({ LIVE_MAX_CLIENTS: '1' });
    await connect('');
    const refused = await connect('', {}, true);
    expect(refused.response.statusCode).toBe(503);
    expect(refused.response.headers['retry-after']).toMatch(/^[1-9][0-9]*$/);
    expect((await body(refused)).code).toBe('too_many_clients');
  });

  it('ends a stream cleanly after its lifetime; resuming with Last-Event-ID loses and repeats nothing', async () => {
    const { connect } = await start({ LIVE_MAX_STREAM_MS: '1500', LIVE_HEARTBEAT_MS: '200' });
    let published = 0;
    const pump = setInterval(() => {
      for (let i = 0; i < 5; i += 1) api?.hub.publish(summary(`life-${published++}`));
    }, 20);
    try {
      const streams: SseClient[] = [];
      let lastId: string | undefined;
      for (let round = 0; round < 3; round += 1) {
        const opened = Date.now();
        const client = await connect('', lastId === undefined ? {} : { 'last-event-id': lastId });
        expect(client.response.statusCode).toBe(200);
        await Promise.race([
          client.ended,
          sleep(5_000).then(() => {
            throw new Error('the stream was not ended');
          }),
        ]);
        const lasted = Date.now() - opened;
        expect(lasted).toBeGreaterThanOrEqual(1_300);
        expect(lasted).toBeLessThan(3_000);
        expect(client.response.complete, 'the stream did not end cleanly').toBe(true);
        streams.push(client);
        lastId = client.messages.filter((m) => m.event === 'change').at(-1)?.id;
        // The client takes a moment to come back; events go on meanwhile.
        await sleep(150);
      }
      clearInterval(pump);
      const last = await connect('', { 'last-event-id': lastId ?? '' });
      api?.hub.publish(summary('final'));
      await waitFor(() => changes(last).some((e) => e.id === 'final'), { timeoutMs: 5_000 });
      const ids = [...streams, last].flatMap((client) => changes(client).map((e) => e.id));
      expect(ids).toEqual([...Array.from({ length: published }, (_, i) => `life-${i}`), 'final']);
      expect([...streams, last].some((c) => c.messages.some((m) => m.event === 'skipped'))).toBe(false);
    } finally {
      clearInterval(pump);
    }
  }, 30_000);
});
