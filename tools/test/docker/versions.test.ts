import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_VERSION } from '@wikistream/shared';
import { describe, expect, it } from 'vitest';
import { IMAGES } from '../../src/stack/images.ts';
import { ENGINE_VERSIONS } from '../../src/stack/versions.ts';
import { REPO_ROOT } from '../../src/testing/index.ts';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');

describe('one version of Node.js and pnpm everywhere', () => {
  it('CI installs the Node.js that the local Node image stand-in carries, of the major the images name', () => {
    expect(/^NODE_VERSION=(\S+)$/m.exec(read('.ci/run'))?.[1]).toBe(ENGINE_VERSIONS.node);
    expect(IMAGES.node).toMatch(new RegExp(`^node:${ENGINE_VERSIONS.node.split('.')[0]}-`));
    expect(/^ARG NODE_IMAGE=(\S+)$/m.exec(read('Dockerfile'))?.[1]).toBe(IMAGES.node);
  });

  it('CI, the images and package.json use the same pnpm', () => {
    const pnpm = (JSON.parse(read('package.json')) as { packageManager: string }).packageManager.replace(
      'pnpm@',
      '',
    );
    expect(/^PNPM_VERSION=(\S+)$/m.exec(read('.ci/run'))?.[1]).toBe(pnpm);
    expect(/npm install --global [^\n]*pnpm@(\S+)/.exec(read('Dockerfile'))?.[1]).toBe(pnpm);
  });
});

describe('one version of the project everywhere', () => {
  const root = JSON.parse(read('package.json')) as { version: string; license: string };
  const workspaces = [
    'packages/shared',
    'services/producer',
    'services/indexer',
    'services/api',
    'tools',
    'web',
  ];

  it('every package of the workspace carries the root version', () => {
    const versions = Object.fromEntries(
      workspaces.map((dir) => [
        dir,
        (JSON.parse(read(`${dir}/package.json`)) as { version: string }).version,
      ]),
    );
    expect(versions).toEqual(Object.fromEntries(workspaces.map((dir) => [dir, root.version])));
    expect(PROJECT_VERSION).toBe(root.version);
  });

  it("labels the images with it and with the project's licence", () => {
    const dockerfile = read('Dockerfile');
    expect(/^ARG VERSION=(\S+)$/m.exec(dockerfile)?.[1]).toBe(root.version);
    expect(/org\.opencontainers\.image\.licenses="([^"]+)"/.exec(dockerfile)?.[1]).toBe(root.license);
    expect(dockerfile).toMatch(/org\.opencontainers\.image\.version="\$\{VERSION\}"/);
    expect(dockerfile).toMatch(/org\.opencontainers\.image\.revision="\$\{REVISION\}"/);
  });
});
