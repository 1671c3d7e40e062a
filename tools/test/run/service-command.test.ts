import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SERVICE_NAMES, serviceCommand } from '../../src/run/service-command.ts';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A repository with one service whose start script is `start`. */
function repoWith(start: string | undefined): string {
  const root = mkdtempSync(join(tmpdir(), 'service-command-'));
  roots.push(root);
  mkdirSync(join(root, 'services', 'producer'), { recursive: true });
  writeFileSync(
    join(root, 'services', 'producer', 'package.json'),
    JSON.stringify({ scripts: start === undefined ? {} : { start } }),
  );
  return root;
}

describe('serviceCommand', () => {
  it('runs the start script with this Node, its arguments and the variables set before node', () => {
    const root = repoWith(
      'MALLOC_ARENA_MAX=2  UV_THREADPOOL_SIZE=4 exec node --max-semi-space-size=8 src/main.ts',
    );
    expect(serviceCommand('producer', root)).toEqual({
      command: process.execPath,
      args: ['--max-semi-space-size=8', 'src/main.ts'],
      cwd: join(root, 'services', 'producer'),
      env: { MALLOC_ARENA_MAX: '2', UV_THREADPOOL_SIZE: '4' },
    });
    expect(serviceCommand('producer', repoWith('exec node src/main.ts')).env).toEqual({});
  });

  it('refuses a script that does not exec node, or none', () => {
    expect(() => serviceCommand('producer', repoWith('exec tsx src/main.ts'))).toThrow(/exec node/);
    expect(() => serviceCommand('producer', repoWith('A=1 sh -c "exec node x"'))).toThrow(/exec node/);
    // Without exec, the shell that npm or pnpm starts keeps node as its child and dies on SIGTERM.
    expect(() => serviceCommand('producer', repoWith('A=1 node src/main.ts'))).toThrow(
      /services\/producer: start script must be/,
    );
    expect(() => serviceCommand('producer', repoWith(undefined))).toThrow(/has no start script/);
  });

  it('reads every real service', () => {
    for (const name of SERVICE_NAMES) {
      const command = serviceCommand(name);
      expect(command.args.at(-1)).toBe('src/main.ts');
      expect(command.command).toBe(process.execPath);
    }
  });
});
