import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * `pnpm test:compose`: docker-compose.yml built and run on a real Docker engine (tools/test/compose-stack).
 * It brings its own Kafka and Elasticsearch (the compose file's), so there is no global setup; the
 * steps of the file run in order against one stack. `pnpm docker:prepare` makes the engine usable.
 */
export default defineConfig({
  test: {
    root: here('./tools'),
    include: ['test/compose-stack/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 900_000,
    teardownTimeout: 180_000,
  },
});
