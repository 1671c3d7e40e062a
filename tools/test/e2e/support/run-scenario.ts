import { expect, inject } from 'vitest';
import { scenarioDetails } from '../../../src/e2e/report.ts';
import { runScenario, type ScenarioResult, type ScenarioSpec } from '../../../src/e2e/scenario.ts';
import { startPrivateElasticsearch, startPrivateKafka } from '../../../src/testing/private-engines.ts';

export const write = (line: string) => process.stdout.write(`${line}\n`);

/** Runs a scenario on the shared engines, or on engines of its own where it stops them. */
export async function run(spec: ScenarioSpec): Promise<ScenarioResult> {
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
export function expectExact(result: ScenarioResult): void {
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
