import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * `pnpm test:chaos`: the fault suite at full volume (tools/test/chaos), one scenario after the
 * other, on the engines the global setup provisions. Not part of `pnpm test`, which runs the
 * small-volume version in the e2e project.
 */
export default defineConfig({
  test: {
    globalSetup: [here('./tools/src/testing/global-setup.ts')],
    root: here('./tools'),
    include: ['test/chaos/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 3_600_000,
    hookTimeout: 300_000,
    teardownTimeout: 60_000,
  },
});
