import { describe, expect, it } from 'vitest';
import { settled } from '../../src/reindex/freeze.ts';
import { truncatedPartitions } from '../../src/reindex/kafka-pass.ts';
import { formatDuration, progressLine } from '../../src/reindex/progress.ts';
import { ownerActive, type RunState, sameRun } from '../../src/reindex/run-state.ts';
import { templateOptions } from '../../src/reindex/templates.ts';

const now = Date.parse('2026-12-06T12:00:00Z');
const owner = (host: string, pid: number, secondsAgo: number) => ({
  host,
  pid,
  heartbeatAt: new Date(now - secondsAgo * 1000).toISOString(),
});

describe('who may run, and what is resumed', () => {
  const self = { host: 'here', alive: (pid: number) => pid === 7 };

  it('takes a run over from a dead process of this host at once, from another host once its lease is gone', () => {
    expect(ownerActive(null, now, 30_000, self)).toBe(false);
    expect(ownerActive(owner('here', 7, 1), now, 30_000, self)).toBe(true);
    expect(ownerActive(owner('here', 8, 1), now, 30_000, self)).toBe(false);
    expect(ownerActive(owner('there', 8, 29), now, 30_000, self)).toBe(true);
    expect(ownerActive(owner('there', 8, 31), now, 30_000, self)).toBe(false);
  });

  it('resumes a run asked for again with the same days and source, --to now included', () => {
    const run = {
      from: '2026-12-04T00:00:00.000Z',
      to: '2026-12-06T09:00:00.000Z',
      source: 'elasticsearch',
    } as RunState;
    expect(sameRun(run, { from: Date.parse('2026-12-04T05:00:00Z'), to: now, source: 'elasticsearch' })).toBe(
      true,
    );
    expect(sameRun(run, { from: Date.parse('2026-12-05T00:00:00Z'), to: now, source: 'elasticsearch' })).toBe(
      false,
    );
    expect(sameRun(run, { from: Date.parse('2026-12-04T00:00:00Z'), to: now, source: 'kafka' })).toBe(false);
  });
});

describe('small judgements', () => {
  it('calls a shard settled when it finished every write it numbered and runs none', () => {
    expect(settled([{ shard: 0, localCheckpoint: 5, maxSeqNo: 5, writesInFlight: 0 }])).toBe(true);
    expect(settled([{ shard: 0, localCheckpoint: 4, maxSeqNo: 5, writesInFlight: 0 }])).toBe(false);
    expect(settled([{ shard: 0, localCheckpoint: 5, maxSeqNo: 5, writesInFlight: 1 }])).toBe(false);
  });

  it('refuses a Kafka window whose first records may be deleted, not an emptied partition', () => {
    const ranges = new Map([
      [0, { low: 0n, high: 10n }],
      [1, { low: 5n, high: 10n }],
      [2, { low: 5n, high: 10n }],
      [3, { low: 10n, high: 10n }],
    ]);
    expect(
      truncatedPartitions(
        new Map([
          [0, 0n],
          [1, 5n],
          [2, 6n],
          [3, 10n],
        ]),
        ranges,
      ),
    ).toEqual([1]);
  });

  it('reads shards, replicas and refresh interval from a template either way the engine writes them', () => {
    expect(
      templateOptions({ index: { number_of_shards: '2', number_of_replicas: '1', refresh_interval: '5s' } }),
    ).toEqual({
      shards: 2,
      replicas: 1,
      refreshInterval: '5s',
    });
    expect(templateOptions({ 'index.number_of_shards': '3' })).toEqual({
      shards: 3,
      replicas: undefined,
      refreshInterval: undefined,
    });
    expect(templateOptions(undefined)).toEqual({
      shards: undefined,
      replicas: undefined,
      refreshInterval: undefined,
    });
  });

  it('prints the days, documents, rate and time left', () => {
    const view = {
      daysDone: 1,
      daysTotal: 3,
      day: '2026.12.05',
      step: 'copying',
      done: 5_000,
      total: 20_000,
      unit: 'documents' as const,
    };
    expect(progressLine(view, 2_500)).toBe(
      '[reindex] days 1/3 · 2026.12.05 copying · 5,000/20,000 documents (25%) · 2,500/s · ~6s left',
    );
    expect(formatDuration(3_725_000)).toBe('1h 02m');
    expect(formatDuration(250_000)).toBe('4m 10s');
  });
});
