import { afterEach, describe, expect, it } from 'vitest';
import { type ReplayOptions, type ReplayServer, startReplayServer } from '../../src/replay/server.ts';
import { fixtureFiles } from '../../src/testing/fixtures.ts';
import { waitFor } from '../../src/testing/wait-for.ts';
import { GOOD_AGENT, readStream } from './sse-client.ts';

const files = fixtureFiles().filter((file) => file.includes('dataplumbhub') || file.includes('lakehouse'));
const servers: ReplayServer[] = [];

async function replay(options: Partial<ReplayOptions> = {}): Promise<ReplayServer> {
  const server = await startReplayServer({
    files,
    pacing: { kind: 'rate', perSecond: 2000 },
    loops: 0,
    ...options,
  });
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const idTimestamp = (id: string | undefined) =>
  (JSON.parse(id ?? '[]') as { topic: string; timestamp?: number }[]).find(
    (entry) => entry.topic === 'eqiad.mediawiki.recentchange',
  )?.timestamp as number;

describe('the replay server wire format', () => {
  it('starts with :ok and sends each event as event, id (message time + 1) and one data line', async () => {
    const server = await replay();
    const stream = await readStream(`${server.url}?since=${Date.now() - 60_000}`, { frames: 20 });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.body.startsWith(':ok\n\n')).toBe(true);
    expect(stream.frames).toHaveLength(20);
    for (const frame of stream.frames) {
      expect(frame.event).toBe('message');
      expect(frame.data).toHaveLength(1);
      const event = JSON.parse(frame.data[0] as string);
      expect(idTimestamp(frame.id)).toBe(Date.parse(event.meta.dt) + 1);
      expect(JSON.parse(frame.id as string)[1]).toEqual({
        topic: 'codfw.mediawiki.recentchange',
        partition: 0,
        offset: -1,
      });
    }
  });

  it('serves the files in order and, when looping, gives copies new distinct meta.ids', async () => {
    const server = await replay({ loops: 2, pacing: { kind: 'max' } });
    const stream = await readStream(server.url, { frames: server.sourceSize * 2, timeoutMs: 10_000 });
    const ids = stream.frames.map((frame) => JSON.parse(frame.data[0] as string).meta.id);
    expect(ids).toEqual(server.log.validIds());
    expect(new Set(ids).size).toBe(server.sourceSize * 2);
    expect(server.log.servedValidIds()).toHaveLength(server.sourceSize * 2);
  });
});

describe('the replay server resume semantics', () => {
  it('resumes a Last-Event-ID at the first message whose time is at or after the id timestamp', async () => {
    // 5 events a millisecond: resuming after one of them skips the rest of its millisecond, as upstream does.
    const server = await replay({ pacing: { kind: 'rate', perSecond: 5000 } });
    const first = await readStream(`${server.url}?since=${Date.now() - 60_000}`, { frames: 50 });
    const cut = first.frames[21];
    const resumed = await readStream(server.url, {
      headers: { 'last-event-id': cut?.id as string },
      frames: 5,
    });
    const expectedOffset = server.log.offsetForTimestamp(idTimestamp(cut?.id));
    const firstResumed = JSON.parse(resumed.frames[0]?.data[0] as string);
    expect(firstResumed.meta.offset).toBe(expectedOffset);
    expect(server.log.timestamp(expectedOffset)).toBeGreaterThanOrEqual(idTimestamp(cut?.id));
    expect(server.requests.at(-1)?.lastEventId).toBe(cut?.id);
  });

  it('starts ?since= at the first message at or after that time', async () => {
    const server = await replay();
    await waitFor(() => server.log.length > 100);
    const since = server.log.timestamp(40);
    const stream = await readStream(`${server.url}?since=${new Date(since).toISOString()}`, { frames: 1 });
    expect(JSON.parse(stream.frames[0]?.data[0] as string).meta.offset).toBe(
      server.log.offsetForTimestamp(since),
    );
  });

  it('silently starts at now when the cursor is older than its history', async () => {
    const server = await replay({ historyMs: 60_000, loops: 0 });
    await waitFor(() => server.log.length > 50);
    const old = `[{"topic":"eqiad.mediawiki.recentchange","partition":0,"timestamp":${Date.now() - 3_600_000}}]`;
    const stream = await readStream(server.url, { headers: { 'last-event-id': old }, frames: 1 });
    expect(stream.status).toBe(200);
    const served = JSON.parse(stream.frames[0]?.data[0] as string);
    expect(Date.parse(served.meta.dt)).toBeGreaterThan(Date.now() - 5_000);
    expect(server.requests.at(-1)?.start).toBeGreaterThan(50);
  });

  it('answers 400 to a malformed Last-Event-ID or since, and to an unknown stream', async () => {
    const server = await replay();
    expect((await readStream(server.url, { headers: { 'last-event-id': '{oops' } })).status).toBe(400);
    expect((await readStream(`${server.url}?since=not-a-time`)).status).toBe(400);
    expect((await readStream(server.url.replace('recentchange', 'nope'))).status).toBe(400);
  });
});

describe('the replay server rules and faults', () => {
  it('refuses requests without a User-Agent or with a library default one with 403', async () => {
    const server = await replay();
    const none = await fetch(server.url, { headers: { 'user-agent': '' } });
    const library = await fetch(server.url, { headers: { 'user-agent': 'python-requests/2.31.0' } });
    expect([none.status, library.status]).toEqual([403, 403]);
    expect(await library.json()).toMatchObject({ detail: expect.stringContaining('User-Agent policy') });
  });

  it('answers 429 above the per-client connection limit', async () => {
    const server = await replay({ maxConnectionsPerClient: 2 });
    const open = [new AbortController(), new AbortController()];
    try {
      for (const controller of open) {
        const response = await fetch(server.url, {
          headers: { 'user-agent': GOOD_AGENT },
          signal: controller.signal,
        });
        expect(response.status).toBe(200);
      }
      const third = await fetch(server.url, { headers: { 'user-agent': GOOD_AGENT } });
      expect(third.status).toBe(429);
      expect(server.stats().maxOpenPerClient).toBe(2);
    } finally {
      for (const controller of open) controller.abort();
    }
    await waitFor(() => server.stats().openConnections === 0);
    expect((await readStream(server.url, { frames: 1 })).status).toBe(200);
  });

  it('answers an injected status for a while, then streams again', async () => {
    const server = await replay();
    server.faults.failFor(503, 300);
    expect((await fetch(server.url, { headers: { 'user-agent': GOOD_AGENT } })).status).toBe(503);
    await waitFor(() => server.faults.failure() === undefined);
    expect((await readStream(server.url, { frames: 1 })).status).toBe(200);
  });

  it('drops each connection after N events', async () => {
    const server = await replay({ dropEvery: 7 });
    const stream = await readStream(`${server.url}?since=${Date.now() - 60_000}`, { timeoutMs: 5000 });
    expect(stream.frames).toHaveLength(7);
    expect(stream.ended).toBeDefined();
    await waitFor(() => server.requests.at(-1)?.closedAt !== undefined);
  });

  it('redirects new requests to another location, with their query, for a while', async () => {
    const server = await replay();
    server.faults.redirectFor('http://127.0.0.1:9/v2/stream/recentchange', 60_000, 307);
    const response = await fetch(`${server.url}?since=123`, {
      headers: { 'user-agent': GOOD_AGENT },
      redirect: 'manual',
    });
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe('http://127.0.0.1:9/v2/stream/recentchange?since=123');
    expect(server.requests.at(-1)?.status).toBe(307);
  });

  it('cuts the connections open now, and only those', async () => {
    const server = await replay({ pacing: { kind: 'rate', perSecond: 200 } });
    const before = readStream(server.url, { timeoutMs: 5000 });
    await waitFor(
      () => server.requests.at(-1)?.frames !== undefined && (server.requests.at(-1)?.frames ?? 0) > 0,
    );
    server.faults.cut();
    expect((await before).ended).toBeDefined();
    expect((await readStream(server.url, { frames: 3 })).frames).toHaveLength(3);
  });

  it('makes the connections open now trickle comments and never send another event', async () => {
    const server = await replay({ pacing: { kind: 'rate', perSecond: 200 } });
    const trickling = readStream(server.url, { timeoutMs: 1500 });
    await waitFor(() => (server.requests.at(-1)?.frames ?? 0) > 0);
    server.faults.trickle(100);
    const framesThen = server.requests.at(-1)?.frames ?? 0;
    const fresh = await readStream(server.url, { frames: 3 });
    expect(fresh.frames).toHaveLength(3);
    const stream = await trickling;
    expect(stream.comments.filter((comment) => comment === '').length).toBeGreaterThanOrEqual(5);
    expect(stream.frames.length).toBeLessThanOrEqual(framesThen);
  });

  it('stalls open connections without closing them while new ones are served', async () => {
    const server = await replay({ pacing: { kind: 'rate', perSecond: 200 } });
    const controller = new AbortController();
    const response = await fetch(server.url, {
      headers: { 'user-agent': GOOD_AGENT },
      signal: controller.signal,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    server.faults.stall(1500);
    const stalledAt = server.stats().framesSent;
    const fresh = await readStream(server.url, { frames: 3 });
    expect(fresh.frames).toHaveLength(3);
    const stalledRecord = server.requests.find((r) => r.closedAt === undefined && r.status === 200);
    const framesDuringStall = stalledRecord?.frames;
    await waitFor(
      () => server.faults.stalledUntil(0) === 0 && Date.now() > (server.faults.stalls[0]?.until ?? 0),
    );
    expect(server.stats().framesSent).toBeGreaterThan(stalledAt);
    expect(stalledRecord?.closedAt).toBeUndefined();
    await waitFor(() => (stalledRecord?.frames ?? 0) > (framesDuringStall ?? 0), { timeoutMs: 3000 });
    controller.abort();
  });
});
