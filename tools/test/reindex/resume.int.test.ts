import type { Client } from '@elastic/elasticsearch';
import { indexDayOf } from '@wikistream/shared';
import { describe, expect, inject, it } from 'vitest';
import { FREEZE_SETTING } from '../../src/reindex/freeze.ts';
import type { RunState } from '../../src/reindex/run-state.ts';
import { waitFor } from '../../src/testing/wait-for.ts';
import { startCli } from './support/cli.ts';
import {
  checkDay,
  DAY,
  dayStartAgo,
  eventsOf,
  indexerReady,
  layoutOf,
  liveTraffic,
  seedOldDocuments,
  startPipeline,
  waitForDocuments,
} from './support/harness.ts';
import { args, type Call, killableStore, reindexDeps, runReindex, testStore } from './support/in-process.ts';

const brokers = inject('kafkaBrokers');
const url = inject('elasticsearchUrl');

async function state(client: Client, prefix: string): Promise<RunState | undefined> {
  const found = await client.get<RunState>({ index: `${prefix}_reindex`, id: 'run' }, { ignore: [404] });
  return found.found ? found._source : undefined;
}

/** No daily index is left frozen, or blocked other than a kept version. */
async function blocks(client: Client, prefix: string): Promise<Record<string, unknown>> {
  const settings = await client.indices.getSettings({ index: `${prefix}-*`, flat_settings: true });
  return Object.fromEntries(
    Object.entries(settings).flatMap(([index, entry]) =>
      Object.entries(entry.settings ?? {})
        .filter(([key]) => key.startsWith('index.blocks.'))
        .map(([key, value]) => [`${index} ${key}`, value]),
    ),
  );
}

describe('pnpm reindex stopped and started again', () => {
  it('stopped by Ctrl-C, then killed with SIGKILL, then started again, ends with exactly the right documents while the indexer indexes on', async () => {
    const days = [dayStartAgo(1), dayStartAgo(0)];
    // Big enough for a copy of a few seconds, at 100 documents a page.
    const seeded = eventsOf(days, 20_000, 'old');
    const pipeline = await startPipeline(brokers, url, 'reindex-kill', ({ client, prefix }) =>
      seedOldDocuments(client, prefix, seeded),
    );
    const { client, prefix } = pipeline;
    await indexerReady(pipeline);
    const live = liveTraffic(brokers, pipeline.topic, days, 10);
    const window = [
      '--from',
      new Date(days[0] as number).toISOString(),
      '--to',
      'now',
      '--batch-size',
      '100',
    ];
    const copied = (day: number, at: number) => async () => {
      const run = await state(client, prefix);
      const entry = run?.days.find((candidate) => candidate.day === indexDayOf(day));
      return entry?.phase === 'copying' && entry.copied >= at;
    };

    // Ctrl-C during the first day's copy: it stops at the next page, saves, gives the run up.
    const first = startCli(pipeline.env, window);
    await waitFor(copied(days[0] as number, 1000), {
      timeoutMs: 60_000,
      message: 'the first day half copied',
    });
    first.child.kill('SIGINT');
    const stopped = await first.done;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(JSON.parse(stopped.stdout).outcome).toBe('stopped');
    const afterStop = await state(client, prefix);
    expect(afterStop?.owner).toBeNull();
    expect(afterStop?.days[0]?.phase).toBe('copying');

    // SIGKILL during the second day's copy: nothing is saved or given up.
    const second = startCli(pipeline.env, window);
    await waitFor(copied(days[1] as number, 1000), {
      timeoutMs: 60_000,
      message: 'the second day half copied',
    });
    second.child.kill('SIGKILL');
    await second.done;
    const afterKill = await state(client, prefix);
    expect(afterKill?.owner?.pid).toBe(second.child.pid);
    expect(afterKill?.days.map((day) => day.phase)).toEqual(['done', 'copying']);

    // Started again: the dead owner's run is taken over at once, and finished.
    const third = startCli(pipeline.env, window);
    const finished = await third.done;
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stderr).toContain('resuming the unfinished re-index');
    expect(JSON.parse(finished.stdout).outcome).toBe('done');

    const liveEvents = await live.stop();
    await waitForDocuments(client, prefix, seeded.length + liveEvents.length);
    for (const day of days) {
      const found = await checkDay(client, prefix, day, [...seeded, ...liveEvents]);
      expect(found, indexDayOf(day)).toMatchObject({ lost: 0, doubled: 0, unexpected: 0, withoutKind: 0 });
      expect(found.documents).toBe(found.expected);
    }
    const names = days.map((day) => `${prefix}-${indexDayOf(day)}`);
    expect((await layoutOf(client, prefix)).indices).toEqual(names.map((name) => `${name}-v2`));
    expect(await blocks(client, prefix)).toEqual({});
  }, 240_000);

  it('resumes from wherever it was killed: planning, copying, catching up, frozen, right after the swap', async () => {
    const days = [1, 2, 3, 4, 5].map((ago) => dayStartAgo(ago));
    const seeded = eventsOf(days, 1500, 'old');
    const pipeline = await startPipeline(brokers, url, 'reindex-steps', ({ client, prefix }) =>
      seedOldDocuments(client, prefix, seeded),
    );
    const { client, prefix } = pipeline;
    await indexerReady(pipeline);
    // Late events for every day go on arriving, so every step has writes to race with.
    const live = liveTraffic(brokers, pipeline.topic, days, 10);
    const phaseSaved = (phase: string) => (call: Call) =>
      call.method === 'putDocument' && (call.args[2] as RunState).days[0]?.phase === phase;
    let bulks = 0;
    const killPoints: { name: string; when: (call: Call) => boolean }[] = [
      // The new version's name is saved, the index created, the state not told yet.
      {
        name: 'planning',
        when: (call) => call.method === 'createIndex' && String(call.args[0]).endsWith('-v2'),
      },
      { name: 'copying', when: (call) => call.method === 'bulk' && ++bulks === 3 },
      { name: 'catching up', when: phaseSaved('catching-up') },
      // The old version refuses writes: the indexer retries them until the run is finished.
      {
        name: 'frozen',
        when: (call) =>
          call.method === 'putSettings' && (call.args[1] as Record<string, unknown>)[FREEZE_SETTING] === true,
      },
      // Swapped, the state still says swapping.
      {
        name: 'swapped',
        when: (call) =>
          call.method === 'updateAliases' && JSON.stringify(call.args[0]).includes('is_write_index'),
      },
    ];
    const names = { url, brokers, prefix, topic: pipeline.topic };
    for (const [i, point] of killPoints.entries()) {
      const day = days[i] as number;
      const window = args(day, day + DAY);
      const dying = reindexDeps({ ...names, pid: 100 + i, store: killableStore(testStore(url), point.when) });
      await expect(runReindex(dying, window), point.name).rejects.toThrow('killed');
      const run = await state(client, prefix);
      expect(run?.owner?.pid, point.name).toBe(100 + i);
      const summary = await runReindex(reindexDeps({ ...names, pid: 200 + i }), window);
      expect(summary.outcome, point.name).toBe('done');
    }
    const liveEvents = await live.stop();
    await waitForDocuments(client, prefix, seeded.length + liveEvents.length);
    for (const day of days) {
      const found = await checkDay(client, prefix, day, [...seeded, ...liveEvents]);
      expect(found, indexDayOf(day)).toMatchObject({ lost: 0, doubled: 0, unexpected: 0, withoutKind: 0 });
      expect(found.documents).toBe(found.expected);
    }
    const dayNames = days.map((day) => `${prefix}-${indexDayOf(day)}`);
    expect(await layoutOf(client, prefix)).toEqual({
      indices: dayNames.map((name) => `${name}-v2`).sort(),
      aliases: dayNames.flatMap((name) => [`${name}→${name}-v2`, `${prefix}→${name}-v2`]).sort(),
    });
    expect(await blocks(client, prefix)).toEqual({});
  }, 300_000);
});
