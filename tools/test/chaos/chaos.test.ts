import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { chaosTable, scenarioDetails } from '../../src/e2e/report.ts';
import type { ScenarioResult } from '../../src/e2e/scenario.ts';
import { fullScenarios } from '../../src/e2e/scenarios.ts';
import { REPO_ROOT } from '../../src/testing/fixtures.ts';
import { expectExact, run, write } from '../e2e/support/run-scenario.ts';

// `pnpm test:chaos` (vitest.chaos.config.ts): every scenario at full volume, then one table,
// also written to test-artifacts/chaos.txt.
describe('the whole pipeline under faults, full volumes', () => {
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
