import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
