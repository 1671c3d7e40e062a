import { setTimeout as sleep } from 'node:timers/promises';
import type { PrivateEngine } from '../testing/private-engines.ts';
import { waitFor } from '../testing/wait-for.ts';
import { startForeignOrigin } from './foreign-origin.ts';
import type { Pipeline } from './pipeline.ts';

/**
 * Faults a scenario injects while events flow, each a script on the stream's clock (seconds since
 * the replay server started). They run side by side; each notes what it did and when.
 */
export interface FaultContext {
  readonly pipeline: Pipeline;
  readonly elasticsearch?: PrivateEngine | undefined;
  readonly kafka?: PrivateEngine | undefined;
  readonly random: () => number;
  note(text: string): void;
}

export type Fault = (context: FaultContext) => Promise<void>;

async function at(context: FaultContext, seconds: number): Promise<void> {
  const wait = context.pipeline.streamStartedAt + seconds * 1000 - Date.now();
  if (wait > 0) await sleep(wait);
}

/** `count` random moments in [from, to] seconds, one in each of `count` equal slots, in order. */
function moments(context: FaultContext, count: number, from: number, to: number): number[] {
  const slot = (to - from) / count;
  return Array.from({ length: count }, (_, i) => from + (i + context.random()) * slot);
}

export function killProducer(count: number, from: number, to: number): Fault {
  return async (context) => {
    for (const moment of moments(context, count, from, to)) {
      await at(context, moment);
      await context.pipeline.killProducer();
      context.note(`producer SIGKILL at ${moment.toFixed(1)} s`);
    }
  };
}

/** SIGKILLs spread over the indexers: each gets its share, in a random order. */
export function killIndexers(count: number, from: number, to: number, indexers = 3): Fault {
  return async (context) => {
    const victims = Array.from({ length: count }, (_, i) => i % indexers);
    for (let i = victims.length - 1; i > 0; i--) {
      const j = Math.floor(context.random() * (i + 1));
      [victims[i], victims[j]] = [victims[j] as number, victims[i] as number];
    }
    const times = moments(context, count, from, to);
    for (const [i, moment] of times.entries()) {
      await at(context, moment);
      await context.pipeline.killIndexer(victims[i] as number);
      context.note(`indexer-${(victims[i] as number) + 1} SIGKILL at ${moment.toFixed(1)} s`);
    }
  };
}

function outage(which: 'elasticsearch' | 'kafka', from: number, seconds: number): Fault {
  return async (context) => {
    const engine = context[which];
    if (!engine) throw new Error(`the ${which} outage needs a private ${which}`);
    await at(context, from);
    const stoppedAt = Date.now();
    await engine.stop();
    context.note(
      `${which} stopped at ${((stoppedAt - context.pipeline.streamStartedAt) / 1000).toFixed(1)} s`,
    );
    await sleep(Math.max(0, stoppedAt + seconds * 1000 - Date.now()));
    await engine.start();
    context.note(`${which} back after ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s`);
  };
}

export const stopElasticsearch = (from: number, seconds: number): Fault =>
  outage('elasticsearch', from, seconds);
export const stopKafka = (from: number, seconds: number): Fault => outage('kafka', from, seconds);

/** New upstream requests are answered with `status` for `seconds`. */
export function failUpstream(from: number, status: number, seconds: number): Fault {
  return async (context) => {
    await at(context, from);
    context.pipeline.server.faults.failFor(status, seconds * 1000);
    const refused = () => context.pipeline.server.requests.filter((r) => r.status === status).length;
    const before = refused();
    await sleep(seconds * 1000);
    context.note(`upstream ${status} for ${seconds} s: ${refused() - before} requests refused`);
  };
}

/** Every upstream connection is cut after `every` events, for `seconds`. */
export function dropUpstream(from: number, every: number, seconds: number): Fault {
  return async (context) => {
    const { server } = context.pipeline;
    await at(context, from);
    const before = server.requests.length;
    server.faults.dropEvery = every;
    await sleep(seconds * 1000);
    server.faults.dropEvery = 0;
    context.note(
      `upstream cut every ${every} events for ${seconds} s: ${server.requests.length - before} connections`,
    );
  };
}

/**
 * The open upstream connection goes silent (no bytes, no close) for `seconds`; the producer's
 * watchdog must drop it. Waits for an open connection first, so the stall hits one.
 */
export function stallUpstream(from: number, seconds: number): Fault {
  return async (context) => {
    const { server } = context.pipeline;
    await at(context, from);
    // A connection being cut at that very moment closes anyway: stall again until one stays open.
    let stalledAt = 0;
    const open = await waitFor(
      async () => {
        const candidate = server.requests.findLast((r) => r.status === 200 && r.closedAt === undefined);
        if (!candidate) return undefined;
        server.faults.stall(seconds * 1000);
        stalledAt = Date.now();
        await sleep(200);
        return candidate.closedAt === undefined ? candidate : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 20, message: 'an open upstream connection to stall' },
    );
    await sleep(Math.max(0, stalledAt + seconds * 1000 - Date.now()));
    const closedAfter = open.closedAt === undefined ? undefined : (open.closedAt - stalledAt) / 1000;
    context.note(
      closedAfter === undefined
        ? `upstream stall of ${seconds} s: the stalled connection stayed open`
        : `upstream stall of ${seconds} s: connection dropped after ${closedAfter.toFixed(1)} s`,
    );
  };
}

/**
 * New upstream requests are redirected to another origin for `seconds`, and the open connection is
 * cut so that the producer asks again. The producer must refuse the redirect: the other origin must
 * see no request at all (no User-Agent, no Last-Event-ID), and none of its events may arrive.
 */
export function redirectUpstream(from: number, seconds: number, status = 302): Fault {
  return async (context) => {
    const { server } = context.pipeline;
    const foreign = await startForeignOrigin();
    try {
      await at(context, from);
      const redirected = () => server.requests.filter((r) => r.status === status).length;
      const before = redirected();
      server.faults.redirectFor(`${foreign.origin}/v2/stream/recentchange`, seconds * 1000, status);
      server.faults.cut();
      await sleep(seconds * 1000);
      const count = redirected() - before;
      context.note(
        `upstream ${status} to another origin for ${seconds} s: ${count} requests redirected, ${foreign.requests.length} reached the other origin`,
      );
      if (count === 0) throw new Error('no request was redirected: the fault tested nothing');
      if (foreign.requests.length > 0) {
        throw new Error(`the producer followed a redirect to another origin: ${foreign.requests[0]?.url}`);
      }
    } finally {
      await foreign.close();
    }
  };
}

/**
 * The open upstream connection keeps sending an SSE comment every `everyMs` but never another event.
 * Bytes flow, events do not: the producer's watchdog must drop it within `withinSeconds`.
 */
export function trickleUpstream(from: number, everyMs: number, withinSeconds: number): Fault {
  return async (context) => {
    const { server } = context.pipeline;
    await at(context, from);
    const open = await waitFor(
      async () => {
        const candidate = server.requests.findLast((r) => r.status === 200 && r.closedAt === undefined);
        if (!candidate) return undefined;
        server.faults.trickle(everyMs);
        await sleep(200);
        return candidate.closedAt === undefined ? candidate : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 20, message: 'an open upstream connection to trickle' },
    );
    const trickledAt = Date.now();
    await waitFor(() => open.closedAt !== undefined, {
      timeoutMs: withinSeconds * 1000,
      message: `the producer to drop a connection that sends a comment every ${everyMs} ms and no event`,
    });
    context.note(
      `upstream trickle (a comment every ${everyMs} ms, no event): dropped after ${(((open.closedAt ?? 0) - trickledAt) / 1000).toFixed(1)} s`,
    );
  };
}
