import { randomBytes } from 'node:crypto';
import { DeadLetterReason, fromDeadLetterMessage, HEADERS } from '@wikistream/shared';
import { waitFor } from '@wikistream/tools/testing';
import { describe, expect, inject, it } from 'vitest';
import { producerEnv, replayServer, testTopics } from './support/environment.ts';
import { spawnProducer } from './support/producer-process.ts';
import { committedCursorTimestamp, metaIds, readTopic } from './support/read-topic.ts';
import { startUpstreamProxy } from './support/upstream-proxy.ts';

const brokers = inject('kafkaBrokers');

/** A valid event: only the frame around it is hostile. */
const poisonEvent = (tag: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    $schema: '/mediawiki/recentchange/1.0.0',
    meta: {
      id: `poison-${tag}`,
      dt: new Date().toISOString(),
      domain: 'en.wikipedia.org',
      stream: 'mediawiki.recentchange',
    },
    type: 'edit',
    wiki: 'enwiki',
    title: `Poison ${tag}`,
    ...extra,
  });
const block = (id: string, tag: string, extra: Record<string, unknown> = {}) =>
  `event: message\nid: ${id}\ndata: ${poisonEvent(tag, extra)}`;
const EQIAD = 'eqiad.mediawiki.recentchange';

describe('hostile frames', () => {
  it('dead-letters frames that used to crash or stall the producer, and produces every event after them', async () => {
    // Each of these alone crashed the producer or stopped its intake for good.
    const server = await replayServer({ pacing: { kind: 'rate', perSecond: 200 }, loops: 1 });
    const proxy = await startUpstreamProxy(server.url);
    proxy.inject([
      // Its timestamp has no date: the gap check of the first frame after a (re)connect threw, and
      // the process died. (Only once: as the first frame of a connection it has no position to
      // recognise it by when it comes again.)
      {
        beforeOffset: 0,
        once: true,
        block: block(`[{"topic":"${EQIAD}","partition":0,"timestamp":1e300}]`, 'date'),
      },
      // 1.5 MB of id went into a header and the cursor: the broker refused every batch, forever.
      {
        beforeOffset: 40,
        block: block(
          `[{"topic":"${EQIAD}","partition":0,"timestamp":${Date.now()},"pad":"${randomBytes(1100 * 1024).toString('base64')}"}]`,
          'size',
        ),
      },
      // Not a Kafka topic: as a Last-Event-ID it could not be sent, so every reconnect failed.
      {
        beforeOffset: 80,
        block: block(`[{"topic":"☃","partition":0,"timestamp":${Date.now()}}]`, 'header'),
        thenEnd: true,
      },
      // 17 MiB in one frame: the SSE parser's buffer overflowed and failed the connection, each time.
      {
        beforeOffset: 120,
        block: block(`[{"topic":"${EQIAD}","partition":0,"timestamp":${Date.now()}}]`, 'giant', {
          comment: 'x'.repeat(17 * 1024 * 1024),
        }),
      },
    ]);
    const topics = testTopics(brokers, 'producer-poison');
    const producer = spawnProducer(
      producerEnv(brokers, topics, proxy.url, { SINCE: String(Date.now() - 1000) }),
    );

    await waitFor(() => server.log.exhausted);
    const end = server.log.timestamp(server.log.length - 1) + 1;
    await Promise.race([
      waitFor(async () => (await committedCursorTimestamp(brokers, topics.cursor)) === end, {
        timeoutMs: 60_000,
        intervalMs: 500,
        message: 'the producer to commit the whole log',
      }),
      producer.exited.then((code) => {
        throw new Error(`the producer exited with code ${code}`);
      }),
    ]);
    producer.kill('SIGTERM');
    expect(await producer.exited).toBe(0);

    const ids = metaIds(await readTopic(brokers, topics.data));
    expect(ids).toHaveLength(server.log.validIds().length);
    expect(new Set(ids)).toEqual(new Set(server.log.validIds()));
    const letters = (await readTopic(brokers, topics.deadLetter)).map((m) => fromDeadLetterMessage(m));
    // The giant one arrives cut down: its start names it.
    const tagOf = (value: Buffer | undefined) => /"id":"(poison-[a-z]+)"/.exec(value?.toString() ?? '')?.[1];
    const byTag = Object.fromEntries(letters.map((letter) => [tagOf(letter?.value), letter]));
    // Each once, although the upstream sent most of them again after the cut.
    expect(letters).toHaveLength(4);
    expect(Object.keys(byTag).sort()).toEqual([
      'poison-date',
      'poison-giant',
      'poison-header',
      'poison-size',
    ]);
    for (const tag of ['poison-date', 'poison-header', 'poison-size']) {
      expect(byTag[tag]?.reason).toBe(DeadLetterReason.MalformedFrame);
      expect(byTag[tag]?.detail).toMatch(/SSE id/);
    }
    expect(byTag['poison-giant']?.reason).toBe(DeadLetterReason.TooLarge);
    for (const letter of letters) expect(letter?.headers?.[HEADERS.sseId]?.length).toBeLessThanOrEqual(4096);
    // The connection cut after the last one resumed from the last good id.
    expect(proxy.requests[1]?.lastEventId).toMatch(/^\[\{"topic":"eqiad/);
  });
});
