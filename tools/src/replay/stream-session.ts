import type { ServerResponse } from 'node:http';
import type { EventLog } from './event-log.ts';
import type { Faults } from './faults.ts';
import type { Pacer } from './pacer.ts';
import { type Assignment, formatFrame, formatId } from './wire-format.ts';

/** One client connection: writes log entries from `start` on, as EventStreams frames. */
export interface SessionContext {
  readonly log: EventLog;
  readonly pacer: Pacer;
  readonly faults: Faults;
  readonly res: ServerResponse;
  readonly openedAt: number;
  /** The id entries as assigned; the entry of the log's topic advances with every frame. */
  readonly assignments: readonly Assignment[];
  /** First offset to serve; Infinity when the log's topic is not assigned. */
  readonly start: number;
  readonly closed: Promise<void>;
  readonly isClosed: () => boolean;
  /** Called after each write with the number of frames and bytes. */
  readonly onSent: (frames: number, bytes: number) => void;
}

const CHUNK_BYTES = 64 * 1024;

export async function runSession(context: SessionContext): Promise<void> {
  const { log, pacer, faults, res } = context;
  const idAt = idFormatter(context.assignments, log.topic);
  let offset = context.start;
  let sent = 0;
  while (!context.isClosed()) {
    if (faults.isCut(context.openedAt)) {
      res.socket?.end();
      return;
    }
    const trickleEvery = faults.trickleEvery(context.openedAt);
    if (trickleEvery > 0) {
      res.write(':\n\n');
      await Promise.race([sleep(trickleEvery), context.closed]);
      continue;
    }
    const stalledUntil = faults.stalledUntil(context.openedAt);
    if (stalledUntil > 0) {
      await Promise.race([sleep(stalledUntil - Date.now()), context.closed]);
      continue;
    }
    if (offset >= log.length) {
      if (pacer.onDemand && !log.exhausted && Number.isFinite(offset)) pacer.demand();
      if (offset >= log.length) {
        await Promise.race([log.changed(), context.closed]);
        continue;
      }
    }
    let chunk = '';
    let frames = 0;
    let drop = false;
    while (offset < log.length && chunk.length < CHUNK_BYTES) {
      chunk += formatFrame('message', idAt(log.timestamp(offset) + 1), log.render(offset));
      log.markServed(offset);
      offset++;
      frames++;
      sent++;
      if (faults.dropEvery > 0 && sent % faults.dropEvery === 0) {
        drop = true;
        break;
      }
      if (pacer.onDemand && offset >= log.length && !log.exhausted) pacer.demand();
    }
    context.onSent(frames, Buffer.byteLength(chunk));
    if (drop) {
      // Like a dropped connection: what was written arrives, then the socket closes mid-response.
      await new Promise((resolve) => res.write(chunk, resolve));
      res.socket?.end();
      return;
    }
    const flushed = res.write(chunk);
    if (!flushed) await Promise.race([new Promise((resolve) => res.once('drain', resolve)), context.closed]);
  }
}

/** The id for a frame: the assignments with the log's own entry at `timestamp` (others never move). */
function idFormatter(assignments: readonly Assignment[], topic: string): (timestamp: number) => string {
  const own = assignments.findIndex((a) => a.topic === topic && a.partition === 0);
  const marker = -424242;
  const template = formatId(
    assignments.map((a, i) => (i === own ? { topic, partition: 0, timestamp: marker } : a)),
  );
  const [prefix = '', suffix = ''] = template.split(String(marker));
  return (timestamp) => `${prefix}${timestamp}${suffix}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)).unref());
}
