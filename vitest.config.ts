import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * One project per package. The global setup provisions real Kafka and Elasticsearch once for
 * the whole run (see tools/src/testing/provision.ts) and hands their addresses to every project.
 */
const timeouts = { testTimeout: 60_000, hookTimeout: 120_000, teardownTimeout: 60_000 };
const project = (name: string, root: string, include = ['test/**/*.test.ts'], exclude: string[] = []) => ({
  test: {
    name,
    root: here(root),
    include,
    exclude: ['**/node_modules/**', ...exclude],
    pool: 'forks' as const,
    ...timeouts,
  },
});

export default defineConfig({
  test: {
    globalSetup: [here('./tools/src/testing/global-setup.ts')],
    ...timeouts,
    passWithNoTests: true,
    projects: [
      project('shared', './packages/shared'),
      project('producer', './services/producer'),
      project('indexer', './services/indexer'),
      project('api', './services/api'),
      project('web', './web'),
      project(
        'tools',
        './tools',
        ['test/**/*.test.ts'],
        ['test/e2e/**', 'test/chaos/**', 'test/compose-stack/**'],
      ),
      // The whole pipeline as separate processes under faults; `pnpm test:chaos` runs the full volumes.
      project('e2e', './tools', ['test/e2e/**/*.test.ts']),
    ],
  },
});
