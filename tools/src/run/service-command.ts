import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../testing/fixtures.ts';

export const SERVICE_NAMES = ['producer', 'indexer', 'api'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** Variables the script sets before `node` (`NAME=value node …`): start the process with them. */
  readonly env: Readonly<Record<string, string>>;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(\S*)$/;

/**
 * How a service starts: its package's `start` script, the one definition that the images
 * (`npm run start`), `pnpm start` and the end-to-end tests all use.
 */
export function serviceCommand(name: ServiceName, repoRoot = REPO_ROOT): ServiceCommand {
  const cwd = join(repoRoot, 'services', name);
  const manifest = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const script = manifest.scripts?.start;
  if (!script) throw new Error(`services/${name}/package.json has no start script`);
  const words = script.trim().split(/\s+/);
  const env: Record<string, string> = {};
  for (let match = ASSIGNMENT.exec(words[0] ?? ''); match; match = ASSIGNMENT.exec(words[0] ?? '')) {
    env[match[1] as string] = match[2] as string;
    words.shift();
  }
  const [command, ...args] = words;
  if (command !== 'node')
    throw new Error(`services/${name}: start script must run node directly, got "${script}"`);
  return { command: process.execPath, args, cwd, env };
}
