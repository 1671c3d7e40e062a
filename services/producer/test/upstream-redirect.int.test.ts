import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeGap, GapReason } from '@wikistream/shared';
import { waitFor } from '@wikistream/tools/testing';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { producerEnv, replayServer, testTopics } from './support/environment.ts';
import { spawnProducer } from './support/producer-process.ts';
import { committedCursorTimestamp, metaIds, readTopic } from './support/read-topic.ts';
import { startUpstreamProxy } from './support/upstream-proxy.ts';

const brokers = inject('kafkaBrokers');
const PATH = '/v2/stream/recentchange';

/** Another origin: it records every request and would answer with an event stream of its own. */
async function otherOrigin() {
  const requests: IncomingHttpHeaders[] = [];
  const contacted = Promise.withResolvers<IncomingHttpHeaders>();
  const server = createServer((req, res) => {
    requests.push(req.headers);
    contacted.resolve(req.headers);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(
      `event: message\nid: [{"topic":"other","partition":0,"offset":1}]\ndata: {"meta":{"id":"other-1","dt":"${new Date().toISOString()}"},"wiki":"otherwiki","title":"Other"}\n\n`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    contacted: contacted.promise,
  };
}

describe('an upstream that redirects to another origin', () => {
  it('is refused: nothing goes there, the refusal is logged, counted, backed off and recorded as a gap', async () => {
    const server = await replayServer({ pacing: { kind: 'rate', perSecond: 200 }, loops: 1 });
    const proxy = await startUpstreamProxy(server.url);
    const other = await otherOrigin();
    proxy.redirect(PATH, { status: 308, location: `${other.origin}${PATH}` });
    const topics = testTopics(brokers, 'producer-redirect');
    const producer = spawnProducer(
      producerEnv(brokers, topics, proxy.url, { SINCE: String(Date.now() - 1000) }),
    );

    await Promise.race([
      waitFor(
        async () =>
          (await producer.metric('wikistream_producer_reconnects_total', { cause: 'redirect_refused' })) >= 2,
        { timeoutMs: 20_000, message: 'two refused redirects' },
      ),
      other.contacted.then((headers) => {
        throw new Error(`the producer followed the redirect, sending ${JSON.stringify(headers)}`);
      }),
    ]);
    expect(other.requests).toEqual([]);
    expect(producer.logs.find((line) => line.cause === 'redirect_refused')).toMatchObject({
      level: 50,
      status: 308,
      target: other.origin,
    });
    // Retried like a refused connection: RECONNECT_MAX_MS (2 s) with equal jitter, so at least 1 s apart.
    const tries = proxy.requests.filter((request) => request.status === 308);
    expect((tries[1]?.at ?? 0) - (tries[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    const ops = `http://127.0.0.1:${await producer.metricsPort()}`;
    expect((await fetch(`${ops}/readyz`)).status).toBe(503);
    const gaps = await waitFor(async () => {
      const records = (await readTopic(brokers, topics.gaps)).map((message) => decodeGap(message.value));
      return records.length > 0 ? records : undefined;
    });
    // One record for the whole run of refusals.
    expect(gaps).toEqual([
      expect.objectContaining({
        reason: GapReason.RedirectRefused,
        detail: expect.stringContaining(other.origin),
      }),
    ]);

    // The upstream serves the stream itself again: the producer resumes and reads all of it.
    proxy.redirect(PATH, undefined);
    await waitFor(() => server.log.exhausted);
    const end = server.log.timestamp(server.log.length - 1) + 1;
    await waitFor(async () => (await committedCursorTimestamp(brokers, topics.cursor)) === end, {
      timeoutMs: 60_000,
      intervalMs: 500,
      message: 'the producer to commit the whole log',
    });
    await waitFor(async () => (await fetch(`${ops}/readyz`)).status === 200);
    producer.kill('SIGTERM');
    expect(await producer.exited).toBe(0);
    const ids = metaIds(await readTopic(brokers, topics.data));
    expect(ids).toHaveLength(server.log.validIds().length);
    expect(new Set(ids)).toEqual(new Set(server.log.validIds()));
    expect(other.requests).toEqual([]);
  });
});
