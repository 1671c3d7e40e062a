import { createLogger } from '@wikistream/shared';
import { describe, expect, it } from 'vitest';
import { createDriftCounter } from '../src/drift-counter.ts';
import { createDriftFlusher } from '../src/drift-flusher.ts';
import type { BulkReply } from '../src/index-actions.ts';
import { createIndexerMetrics } from '../src/metrics.ts';

const T0 = Date.parse('2026-02-26T15:49:00.000Z');

/** A store that answers each bulk with `answer(actions)`; every body is kept. */
function fakeStore(answer: (actions: Record<string, unknown>[]) => BulkReply) {
  const bodies: Record<string, unknown>[][] = [];
  const templates: string[] = [];
  return {
    bodies,
    templates,
    async putTemplate(name: string) {
      templates.push(name);
    },
    async bulk(body: Buffer): Promise<BulkReply> {
      const lines = body.toString().trim().split('\n');
      const actions = lines.filter((_, i) => i % 2 === 0).map((line) => JSON.parse(line));
      bodies.push(actions);
      return answer(actions);
    },
  };
}

const statuses = (actions: Record<string, unknown>[], status: (op: string) => number): BulkReply => ({
  kind: 'items',
  items: actions.map((action) => {
    const op = Object.keys(action)[0] as string;
    return { [op]: { status: status(op) } };
  }),
});

function flusherWith(store: ReturnType<typeof fakeStore>) {
  const counter = createDriftCounter();
  const metrics = createIndexerMetrics();
  let now = T0 + 61_000;
  const flusher = createDriftFlusher({
    counter,
    store,
    prefix: 'p',
    member: 'm1',
    intervalMs: 60_000,
    closeTimeoutMs: 1_000,
    logger: createLogger({ name: 'test', level: 'silent' }),
    metrics,
    now: () => now,
  });
  const flushes = async () =>
    Object.fromEntries((await metrics.driftFlushes.get()).values.map((v) => [v.labels.outcome, v.value]));
  return { counter, flusher, flushes, setNow: (ms: number) => (now = ms) };
}

describe('drift flusher', () => {
  it('keeps the counts when a flush fails and writes them at the next one, the template first', async () => {
    let down = true;
    const store = fakeStore((actions) =>
      down ? { kind: 'failed', detail: 'ConnectionError' } : statuses(actions, () => 201),
    );
    const { counter, flusher, flushes } = flusherWith(store);
    counter.record('/v2', ['performer'], T0 + 1_000);
    expect(await flusher.flush()).toBe(false);
    down = false;
    expect(await flusher.flush()).toBe(true);
    expect(store.templates).toEqual(['p_drift-template']);
    expect(store.bodies[1]).toEqual(store.bodies[0]);
    // Stored: nothing is left to write.
    expect(await flusher.flush()).toBe(true);
    expect(store.bodies).toHaveLength(2);
    expect(counter.size().minutes).toBe(0);
    expect(await flushes()).toEqual({ failed: 1, ok: 1 });
  });

  it('takes an existing first-seen document as stored, and any other refusal as a failure', async () => {
    let counterStatus = 200;
    const store = fakeStore((actions) => statuses(actions, (op) => (op === 'create' ? 409 : counterStatus)));
    const { counter, flusher } = flusherWith(store);
    counter.record('/v2', ['performer'], T0 + 1_000);
    counterStatus = 400;
    expect(await flusher.flush()).toBe(false);
    counterStatus = 200;
    expect(await flusher.flush()).toBe(true);
    expect(counter.size().minutes).toBe(0);
  });

  it('does not send a first sighting again once stored', async () => {
    const store = fakeStore((actions) => statuses(actions, () => 201));
    const { counter, flusher, setNow } = flusherWith(store);
    counter.record('/v2', ['performer'], T0 + 61_500);
    await flusher.flush();
    counter.record('/v2', ['performer'], T0 + 62_000);
    setNow(T0 + 63_000);
    await flusher.flush();
    const creates = store.bodies.map((actions) => actions.filter((action) => 'create' in action).length);
    expect(creates).toEqual([1, 0]);
  });

  it('flushes once more at close, and gives up at its deadline', async () => {
    const store = fakeStore((actions) => statuses(actions, () => 201));
    const { counter, flusher } = flusherWith(store);
    await flusher.start();
    counter.record('/v2', undefined, T0 + 1_000);
    await flusher.close();
    expect(store.bodies).toHaveLength(1);

    const hanging = {
      ...fakeStore(() => statuses([], () => 201)),
      putTemplate: () => new Promise<void>(() => {}),
    };
    const stuck = flusherWith(hanging);
    stuck.counter.record('/v2', undefined, T0 + 1_000);
    const started = Date.now();
    await stuck.flusher.close();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
