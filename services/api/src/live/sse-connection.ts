import type { ServerResponse } from 'node:http';
import { LIVE_EVENT } from '@wikistream/shared';
import type { LiveEntry, LiveSink } from './live-hub.ts';

export interface SseOptions {
  /** Events queued while the socket is full; beyond it the oldest are dropped and counted. */
  readonly bufferSize: number;
  readonly heartbeatMs: number;
  readonly onClose: () => void;
}

export interface SseConnection extends LiveSink {
  /** Sends what a resume found: a skipped notice for events gone from the ring, then the rest. */
  start(replay: readonly LiveEntry[], missed: number): void;
  /** Events waiting in this connection's queue (bounded by bufferSize). */
  queued(): number;
  /** Events this connection dropped because the client read too slowly. */
  dropped(): number;
}

const skippedFrame = (count: number) =>
  `event: ${LIVE_EVENT.skipped}\ndata: ${JSON.stringify({ skipped: count })}\n\n`;

/**
 * One SSE client. While the socket accepts writes, frames go straight out; once it pushes back,
 * frames wait in a bounded queue, the oldest dropped first, and when the socket drains the client
 * first learns how many it lost (`event: skipped`), then gets the rest. Memory per client is thus
 * bounded by bufferSize frames plus the socket's own buffer.
 */
export function createSseConnection(response: ServerResponse, options: SseOptions): SseConnection {
  const queue: string[] = [];
  let skipped = 0;
  let droppedTotal = 0;
  let blocked = false;
  let ended = false;
  let lastWrite = Date.now();

  const write = (frame: string) => {
    lastWrite = Date.now();
    if (!response.write(frame)) blocked = true;
  };

  const flush = () => {
    blocked = false;
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
    queue.length = 0;
    options.onClose();
  };
  response.on('drain', flush);
  response.on('close', finish);

  return {
    start(replay, missed) {
      write(': connected\n\n');
      if (missed > 0) write(skippedFrame(missed));
      for (const entry of replay) enqueue(entry.frame);
    },
    deliver(entry) {
      if (!ended) enqueue(entry.frame);
    },
    end() {
      if (ended) return;
      flush();
      response.end();
      finish();
    },
    queued: () => queue.length,
    dropped: () => droppedTotal,
  };
}
