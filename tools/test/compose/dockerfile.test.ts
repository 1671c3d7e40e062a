import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkDockerfile, dockerfileStages } from '../../src/compose/check-dockerfile.ts';
import { runHadolint } from '../../src/compose/hadolint.ts';
import { SERVICE_NAMES, startScript } from '../../src/run/service-command.ts';
import { REPO_ROOT } from '../../src/testing/index.ts';

const path = join(REPO_ROOT, 'Dockerfile');
const text = readFileSync(path, 'utf8');
const targets = ['producer', 'indexer', 'api'];
const workspace = parse(readFileSync(join(REPO_ROOT, 'pnpm-workspace.yaml'), 'utf8')) as {
  patchedDependencies?: Record<string, string>;
};
const patches = Object.values(workspace.patchedDependencies ?? {});
const scripts = Object.fromEntries(SERVICE_NAMES.map((name) => [name, startScript(name)]));
const check = (dockerfile: string) => checkDockerfile(dockerfile, targets, patches, scripts);
const CMD =
  'CMD ["node", "--max-semi-space-size=8", "--disable-warning=TimeoutNegativeWarning", "src/main.ts"]';

describe('Dockerfile', () => {
  it('has a stage per service on node:24-bookworm-slim', () => {
    const names = dockerfileStages(text).map((stage) => stage.name);
    expect(names).toEqual(expect.arrayContaining(targets));
    expect(check(text)).toEqual([]);
  });

  it('passes hadolint', () => {
    const result = runHadolint(path);
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  }, 120_000);

  it('knows the patched dependencies it checks for', () => {
    expect(patches.length).toBeGreaterThan(0);
  });

  const mutations: [string, (t: string) => string, RegExp][] = [
    [
      'patches copied after pnpm install',
      (t) => t.replace('COPY patches patches\n', ''),
      /patches\/kafkajs@2\.2\.4\.patch \(patchedDependencies\) is not copied before pnpm install/,
    ],
    [
      'running as root',
      (t) => t.replace(/USER 1000:1000\nENV PORT/, 'USER root\nENV PORT'),
      /api: must run as a non-root USER/,
    ],
    [
      'no healthcheck',
      (t) => t.replace(/HEALTHCHECK[^\n]*\\\n[^\n]*\n(CMD[^\n]*\n*)$/, '$1'),
      /api: no HEALTHCHECK/,
    ],
    [
      'a shell-form CMD',
      (t) => t.replaceAll(CMD, 'CMD node --max-semi-space-size=8 src/main.ts'),
      /producer: CMD must use the exec form/,
    ],
    [
      // npm would stay the container's process and node its child.
      'a CMD through npm',
      (t) => t.replace(CMD, 'CMD ["npm", "run", "--silent", "start"]'),
      /producer: CMD must be the start script's \["node",/,
    ],
    [
      'a CMD that differs from the start script',
      (t) => t.replace(CMD, CMD.replace('--max-semi-space-size=8', '--max-semi-space-size=16')),
      /producer: CMD must be the start script's/,
    ],
    [
      'a start-script variable missing from ENV',
      (t) =>
        t.replace(
          'ENV NODE_ENV=production MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072',
          'ENV NODE_ENV=production MALLOC_MMAP_THRESHOLD_=131072',
        ),
      /indexer: the start script sets MALLOC_ARENA_MAX=2; ENV must too/,
    ],
    ['another base image', (t) => t.replace('node:24-bookworm-slim', 'node:20'), /not node:24-bookworm-slim/],
    [
      'an unlocked install',
      (t) =>
        t.replace(
          '--prod --frozen-lockfile --filter @wikistream/producer',
          '--prod --filter @wikistream/producer',
        ),
      /without --frozen-lockfile/,
    ],
    [
      'dev dependencies in a runtime',
      (t) =>
        t.replace(
          'install --prod --frozen-lockfile --filter @wikistream/indexer',
          'install --frozen-lockfile --filter @wikistream/indexer',
        ),
      /indexer-deps: installs dev dependencies/,
    ],
  ];

  it.each(mutations)('fails when %s', (_name, mutate, problem) => {
    const mutated = mutate(text);
    expect(mutated).not.toBe(text);
    expect(check(mutated).join('\n')).toMatch(problem);
  });
});
