import { describe, expect, it } from 'vitest';
import { fastScenarios } from '../../src/e2e/scenarios.ts';
import { expectExact, run } from './support/run-scenario.ts';

// Small volumes, in `pnpm test`. The full volumes are `pnpm test:chaos` (tools/test/chaos).
describe('the whole pipeline under faults, small volumes', () => {
  const { processes, engines } = fastScenarios();

  it('keeps every event exactly once through producer and indexer SIGKILLs, upstream drops, 503s, 429s, a stall, a hostile upstream and bad input', async () => {
    const result = await run(processes);
    expectExact(result);
    expect(result.outcome.deadLettered).toBeGreaterThan(0);
    // Hostile input reached both stages: too deep at the producer, far-dated at the indexer.
    expect(result.outcome.deadLettersByReason.too_deep).toBeGreaterThan(0);
    expect(result.outcome.deadLettersByReason.time_out_of_range).toBeGreaterThan(0);
    expect(result.notes.some((note) => /requests redirected, 0 reached the other origin/.test(note))).toBe(
      true,
    );
    expect(result.notes.some((note) => note.startsWith('upstream trickle'))).toBe(true);
    expect(result.notes.filter((note) => note.includes('SIGKILL'))).toHaveLength(5);
  }, 420_000);

  it('keeps every event exactly once while Elasticsearch and then the Kafka broker are stopped and started', async () => {
    const result = await run(engines);
    expectExact(result);
    expect(result.notes.some((note) => note.startsWith('elasticsearch back'))).toBe(true);
    expect(result.notes.some((note) => note.startsWith('kafka back'))).toBe(true);
  }, 600_000);
});
