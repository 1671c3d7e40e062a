import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { chaosTable, scenarioDetails } from '../../src/e2e/report.ts';
import { runScenario, type ScenarioResult, type ScenarioSpec } from '../../src/e2e/scenario.ts';
import { fastScenarios, fullScenarios } from '../../src/e2e/scenarios.ts';
import { REPO_ROOT } from '../../src/testing/fixtures.ts';
import { startPrivateElasticsearch, startPrivateKafka } from '../../src/testing/private-engines.ts';

const full = process.env.WIKISTREAM_CHAOS === 'full';
const write = (line: string) => process.stdout.write(`${line}\n`);

/** Runs a scenario on the shared engines, or on engines of its own where it stops them. */
async function run(spec: ScenarioSpec): Promise<ScenarioResult> {
  const [kafka, elasticsearch] = await Promise.all([
    spec.privateKafka ? startPrivateKafka() : undefined,
    spec.privateElasticsearch ? startPrivateElasticsearch() : undefined,
  ]);
  const result = await runScenario(
    spec,
    {
      kafkaBrokers: kafka?.url ?? inject('kafkaBrokers'),
      elasticsearchUrl: elasticsearch?.url ?? inject('elasticsearchUrl'),
      kafka,
      elasticsearch,
    },
    write,
  );
  write(scenarioDetails(result));
  return result;
}

/** Nothing lost, nothing twice, exactly the invalid events dead-lettered, and the api agrees. */
function expectExact(result: ScenarioResult): void {
  const o = result.outcome;
  const details = scenarioDetails(result);
  expect(o.expected, details).toBeGreaterThan(0);
  expect(o.served, details).toBe(o.expected);
  expect(o.lost, details).toBe(0);
  expect(o.duplicateDocuments, details).toBe(0);
  expect(o.duplicateRecords, details).toBe(0);
  expect(o.unexpected, details).toBe(0);
  expect(o.documents, details).toBe(o.expected);
  expect(o.deadLettersByReason, details).toEqual(o.expectedDeadLetters);
  expect(o.apiEvents, details).toBe(o.expected);
  expect(o.apiDeadLetters, details).toBe(o.deadLettered);
  // After all that, every service still stops cleanly.
  for (const [service, code] of Object.entries(result.exitCodes))
    expect(code, `${service}\n${details}`).toBe(0);
}

describe.runIf(!full)('the whole pipeline under faults, small volumes', () => {
  const { processes, engines } = fastScenarios();

  it('keeps every event exactly once through producer and indexer SIGKILLs, upstream drops, 503s, 429s, a stall and bad input', async () => {
    const result = await run(processes);
    expectExact(result);
    expect(result.outcome.deadLettered).toBeGreaterThan(0);
    expect(result.notes.filter((note) => note.includes('SIGKILL'))).toHaveLength(5);
  }, 420_000);

  it('keeps every event exactly once while Elasticsearch and then the Kafka broker are stopped and started', async () => {
    const result = await run(engines);
    expectExact(result);
    expect(result.notes.some((note) => note.startsWith('elasticsearch back'))).toBe(true);
    expect(result.notes.some((note) => note.startsWith('kafka back'))).toBe(true);
  }, 600_000);
});

describe.runIf(full)('the whole pipeline under faults, full volumes (pnpm test:chaos)', () => {
  const results: ScenarioResult[] = [];
  afterAll(() => {
    if (results.length === 0) return;
    const table = chaosTable(results);
    write(`\n${table}\n`);
    const dir = join(REPO_ROOT, 'test-artifacts');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'chaos.txt'),
      `${new Date().toISOString()}\n\n${table}\n\n${results.map(scenarioDetails).join('\n\n')}\n`,
    );
  });

  for (const spec of fullScenarios()) {
    it(`loses and duplicates nothing: ${spec.title}`, async () => {
      const result = await run(spec);
      results.push(result);
      expectExact(result);
    }, 3_600_000);
  }
});
