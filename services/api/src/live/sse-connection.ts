import type { ServerResponse } from 'node:http';
import { LIVE_EVENT } from '@wikistream/shared';
import type { LiveEntry, LiveSink } from './live-hub.ts';

export interface SseOptions {
  /** Events queued while the socket is full; beyond it the oldest are dropped and counted. */
  readonly bufferSize: number;
  readonly heartbeatMs: number;
  /** A socket that has not drained for this long belongs to a client that stopped reading: evicted. */
  readonly blockedTimeoutMs: number;
  /** The stream ends cleanly after this long; the client resumes with Last-Event-ID. */
  readonly lifetimeMs: number;
  readonly onClose: () => void;
  /** Called when the client is evicted, with how long its socket was blocked. */
  readonly onEvict?: (blockedMs: number) => void;
}

export interface SseConnection extends LiveSink {
  /** Sends what a resume found: a skipped notice for events gone from the ring, then the rest. */
  start(replay: readonly LiveEntry[], missed: number): void;
  /** Events waiting in this connection's queue (bounded by bufferSize). */
  queued(): number;
  /** Events this connection dropped because the client read too slowly. */
  dropped(): number;
}

/**
 * Drops a connection whose client does not read. A reset (like nginx's reset_timedout_connection)
 * rather than a close: a close would leave the unsent bytes and the FIN queued in the kernel behind
 * a window that never opens.
 */
function reset(response: ServerResponse): void {
  if (response.socket && !response.socket.destroyed) response.socket.resetAndDestroy();
  else response.destroy();
}

const skippedFrame = (count: number) =>
  `event: ${LIVE_EVENT.skipped}\ndata: ${JSON.stringify({ skipped: count })}\n\n`;

/**
 * One SSE client. While the socket accepts writes, frames go straight out; once it pushes back,
 * frames wait in a bounded queue, the oldest dropped first, and when the socket drains the client
 * first learns how many it lost (`event: skipped`), then gets the rest. Memory per client is thus
 * bounded by bufferSize frames plus the socket's own buffer; a client whose socket does not drain
 * within blockedTimeoutMs is disconnected, so it holds no slot for ever; and every stream ends
 * after lifetimeMs, so no slot is held for ever by a client that reads either.
 */
export function createSseConnection(response: ServerResponse, options: SseOptions): SseConnection {
  const queue: string[] = [];
  let skipped = 0;
  let droppedTotal = 0;
  let blocked = false;
  let blockedAt = 0;
  let ended = false;
  let lastWrite = Date.now();
  let evictTimer: NodeJS.Timeout | undefined;

  const evict = () => {
    if (ended) return;
    options.onEvict?.(Date.now() - blockedAt);
    // Nothing more can be written to this socket, not even the end of the stream.
    reset(response);
    finish();
  };

  const write = (frame: string) => {
    lastWrite = Date.now();
    if (response.write(frame) || blocked) return;
    blocked = true;
    blockedAt = lastWrite;
    evictTimer = setTimeout(evict, options.blockedTimeoutMs);
    evictTimer.unref();
  };

  const flush = () => {
    blocked = false;
    clearTimeout(evictTimer);
    if (skipped > 0 && !ended) {
      write(skippedFrame(skipped));
      skipped = 0;
    }
    while (!blocked && queue.length > 0) write(queue.shift() as string);
  };

  const enqueue = (frame: string) => {
    if (!blocked && queue.length === 0) return write(frame);
    queue.push(frame);
    if (queue.length > options.bufferSize) {
      queue.shift();
      skipped += 1;
      droppedTotal += 1;
    }
  };

  const heartbeat = setInterval(
    () => {
      if (!blocked && Date.now() - lastWrite >= options.heartbeatMs) write(': heartbeat\n\n');
    },
    Math.max(50, Math.floor(options.heartbeatMs / 2)),
  );
  heartbeat.unref();

  const finish = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    clearTimeout(evictTimer);
    clearTimeout(lifetime);
    queue.length = 0;
    options.onClose();
  };

  const end = () => {
    if (ended) return;
    flush();
    response.end();
    finish();
    // A client that does not read cannot take the end of the stream either: it is not waited for.
    // (Only an unfinished response is destroyed: a finished one's socket may carry the next request.)
    if (response.writableFinished) return;
    const guard = setTimeout(() => {
      if (!response.writableFinished) reset(response);
    }, options.blockedTimeoutMs);
    guard.unref();
    response.once('finish', () => clearTimeout(guard));
  };

  const lifetime = setTimeout(end, options.lifetimeMs);
  lifetime.unref();
  response.on('drain', flush);
  response.on('close', finish);
  // The client may be gone already; the caller subscribes first, so it learns that a moment later.
  if (response.destroyed || !response.socket || response.socket.destroyed) queueMicrotask(finish);

  return {
    start(replay, missed) {
      write(': connected\n\n');
      if (missed > 0) write(skippedFrame(missed));
      for (const entry of replay) enqueue(entry.frame);
    },
    deliver(entry) {
      if (!ended) enqueue(entry.frame);
    },
    end,
    queued: () => queue.length,
    dropped: () => droppedTotal,
  };
}
