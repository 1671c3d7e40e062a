import { createLogger, type Logger } from '@wikistream/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DisconnectCause } from '../src/backoff.ts';
import { createIngest } from '../src/ingest.ts';
import type { UpstreamConnection, UpstreamEnd, UpstreamOptions } from '../src/upstream.ts';
import { createUpstreamLoop } from '../src/upstream-loop.ts';

const logger = createLogger({ name: 'test', level: 'silent' });
const FRAME = { data: '{}', id: '', receivedAt: 0 };
const ingest = () =>
  createIngest(
    {
      window: { overlapMs: 1000, maxIds: 100 },
      overlapMs: 1000,
      gapThresholdMs: 60_000,
      classify: { producerVersion: '1', compressed: true },
      batchSize: 10,
      batchMaxBytes: 1e6,
      owner: { stream: 'http://upstream.test/v2/stream/recentchange', topic: 'test-topic' },
    },
    {},
  );

interface FakeConnection extends UpstreamConnection {
  options: UpstreamOptions;
  openedAt: number;
  end(end: UpstreamEnd): void;
  isOpen(): boolean;
}

/** Stands in for the network: each open() returns a connection the test ends at will. */
function fakeUpstream() {
  const connections: FakeConnection[] = [];
  const open = (options: UpstreamOptions): UpstreamConnection => {
    let finish!: (end: UpstreamEnd) => void;
    let open = true;
    const ended = new Promise<UpstreamEnd>((resolve) => {
      finish = (end) => {
        open = false;
        resolve(end);
      };
    });
    const connection: FakeConnection = {
      options,
      openedAt: Date.now(),
      ended,
      frames: 0,
      pause() {},
      resume() {},
      async close(cause: DisconnectCause | 'closed' = 'closed') {
        finish({ cause });
      },
      end: (end) => finish(end),
      isOpen: () => open,
    };
    // Exactly one connection at a time: the previous one must be over before a new one opens.
    expect(connections.every((c) => !c.isOpen())).toBe(true);
    connections.push(connection);
    return connection;
  };
  return { connections, open };
}

function loop(
  upstream: ReturnType<typeof fakeUpstream>,
  causes: DisconnectCause[] = [],
  log: Logger = logger,
) {
  return createUpstreamLoop({
    url: 'http://upstream.test/v2/stream/recentchange',
    userAgent: 'test/1 (https://example.org)',
    stallTimeoutMs: 60_000,
    backoff: { baseMs: 1000, maxMs: 60_000 },
    ingest: ingest(),
    logger: log,
    onFrame: () => undefined,
    onBytes: () => undefined,
    onConnected: () => undefined,
    onDisconnect: (end) => causes.push(end.cause),
    open: upstream.open,
    random: () => 0,
  });
}

/** A logger whose JSON lines the test reads. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({
    name: 'test',
    level: 'info',
    destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  return { log, lines };
}

describe('the upstream reconnect loop', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Ends the newest connection with `end` and checks the next one opens exactly `delay` ms later. */
  async function expectReconnectAfter(
    upstream: ReturnType<typeof fakeUpstream>,
    end: UpstreamEnd,
    delay: number,
  ) {
    const count = upstream.connections.length;
    upstream.connections.at(-1)?.end(end);
    await vi.advanceTimersByTimeAsync(delay - 1);
    expect(upstream.connections).toHaveLength(count);
    await vi.advanceTimersByTimeAsync(1);
    expect(upstream.connections).toHaveLength(count + 1);
  }

  it('reconnects with capped exponential back-off after failures', async () => {
    const upstream = fakeUpstream();
    const causes: DisconnectCause[] = [];
    const running = loop(upstream, causes).run();
    await vi.advanceTimersByTimeAsync(0);
    // random() = 0: half of 1 s, 2 s, 4 s, 8 s … (equal jitter), capped at half of 60 s.
    await expectReconnectAfter(upstream, { cause: 'network' }, 500);
    await expectReconnectAfter(upstream, { cause: 'http_5xx', status: 503 }, 1000);
    await expectReconnectAfter(upstream, { cause: 'http_5xx', status: 503 }, 2000);
    await expectReconnectAfter(upstream, { cause: 'end' }, 4000);
    for (let i = 0; i < 5; i++)
      await expectReconnectAfter(upstream, { cause: 'network' }, Math.min(8000 * 2 ** i, 30_000));
    expect(causes.slice(0, 4)).toEqual(['network', 'http_5xx', 'http_5xx', 'end']);
    upstream.connections.at(-1)?.end({ cause: 'closed' });
    await running;
  });

  it('waits the slow delay after a 403 and longer after a 429 than after a dropped connection', async () => {
    const forbidden = fakeUpstream();
    const first = loop(forbidden).run();
    await vi.advanceTimersByTimeAsync(0);
    await expectReconnectAfter(forbidden, { cause: 'http_403', status: 403 }, 30_000);
    await expectReconnectAfter(forbidden, { cause: 'http_403', status: 403 }, 30_000);
    forbidden.connections.at(-1)?.end({ cause: 'closed' });
    await first;

    const busy = fakeUpstream();
    const second = loop(busy).run();
    await vi.advanceTimersByTimeAsync(0);
    await expectReconnectAfter(busy, { cause: 'http_429', status: 429 }, 2000);
    await expectReconnectAfter(busy, { cause: 'http_429', status: 429 }, 4000);
    busy.connections.at(-1)?.end({ cause: 'closed' });
    await second;
  });

  it('waits the longest delay after a redirect to another origin, and says at error where it was sent', async () => {
    const upstream = fakeUpstream();
    const causes: DisconnectCause[] = [];
    const { log, lines } = capturedLogger();
    const running = loop(upstream, causes, log).run();
    await vi.advanceTimersByTimeAsync(0);
    const refused: UpstreamEnd = {
      cause: 'redirect_refused',
      status: 308,
      target: 'http://elsewhere.test',
      detail: 'redirected to another origin',
    };
    await expectReconnectAfter(upstream, refused, 30_000);
    await expectReconnectAfter(upstream, refused, 30_000);
    expect(causes).toEqual(['redirect_refused', 'redirect_refused']);
    const said = lines.filter((line) => line.cause === 'redirect_refused');
    expect(said).toHaveLength(2);
    expect(said[0]).toMatchObject({ level: 50, status: 308, target: 'http://elsewhere.test' });
    upstream.connections.at(-1)?.end({ cause: 'closed' });
    await running;
  });

  it('aborts a connection that completes no event for the stall timeout and reconnects', async () => {
    const upstream = fakeUpstream();
    const causes: DisconnectCause[] = [];
    const running = loop(upstream, causes).run();
    await vi.advanceTimersByTimeAsync(30_000);
    upstream.connections[0]?.options.onFrame(FRAME);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(upstream.connections[0]?.isOpen()).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(upstream.connections[0]?.isOpen()).toBe(false);
    expect(causes).toEqual(['stall']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(upstream.connections).toHaveLength(2);
    upstream.connections[1]?.end({ cause: 'closed' });
    await running;
  });

  it('aborts a connection that sends bytes but never a whole event, however often', async () => {
    const upstream = fakeUpstream();
    const causes: DisconnectCause[] = [];
    const reader = loop(upstream, causes);
    const running = reader.run();
    await vi.advanceTimersByTimeAsync(0);
    // A comment line (or one more byte of an unfinished line) every second.
    for (let second = 1; second < 60; second++) {
      await vi.advanceTimersByTimeAsync(1000);
      upstream.connections[0]?.options.onBytes(2);
    }
    expect(upstream.connections[0]?.isOpen()).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(upstream.connections[0]?.isOpen()).toBe(false);
    expect(causes).toEqual(['stall']);
    await reader.stop();
    await running;
  });

  it('says events flow only while a whole event arrived within the stall timeout, or reading is paused', async () => {
    const upstream = fakeUpstream();
    const reader = loop(upstream);
    const running = reader.run();
    await vi.advanceTimersByTimeAsync(0);
    expect(reader.flowing()).toBe(false);
    upstream.connections[0]?.options.onFrame(FRAME);
    expect(reader.flowing()).toBe(true);
    await vi.advanceTimersByTimeAsync(59_000);
    upstream.connections[0]?.options.onBytes(2);
    expect(reader.flowing()).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(reader.flowing()).toBe(false);
    // Reconnected, the connection is open, bytes come: still no event, still not flowing.
    await vi.advanceTimersByTimeAsync(1000);
    expect(upstream.connections).toHaveLength(2);
    upstream.connections[1]?.options.onBytes(2);
    expect(reader.flowing()).toBe(false);
    upstream.connections[1]?.options.onFrame(FRAME);
    expect(reader.flowing()).toBe(true);
    reader.pause();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(reader.flowing()).toBe(true);
    await reader.stop();
    await running;
  });

  it('does not count a stall while the producer itself paused reading', async () => {
    const upstream = fakeUpstream();
    const causes: DisconnectCause[] = [];
    const reader = loop(upstream, causes);
    const running = reader.run();
    await vi.advanceTimersByTimeAsync(0);
    reader.pause();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(causes).toEqual([]);
    reader.resume();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(causes).toEqual(['stall']);
    await reader.stop();
    await running;
  });

  it('stops without reconnecting, also while waiting to reconnect', async () => {
    const upstream = fakeUpstream();
    const reader = loop(upstream);
    const running = reader.run();
    await vi.advanceTimersByTimeAsync(0);
    upstream.connections[0]?.end({ cause: 'network' });
    await vi.advanceTimersByTimeAsync(10);
    await reader.stop();
    await running;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(upstream.connections).toHaveLength(1);
  });
});
