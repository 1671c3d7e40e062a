import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../testing/fixtures.ts';

export const SERVICE_NAMES = ['producer', 'indexer', 'api'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** A start script read as what it runs: `NAME=value … exec node ARGS…`. */
export interface StartScript {
  /** Variables the script sets before `node`: start the process with them. */
  readonly env: Readonly<Record<string, string>>;
  /** node's arguments (flags, then the entry file). */
  readonly args: readonly string[];
}

export interface ServiceCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** Variables the script sets before `node` (`NAME=value exec node …`): start the process with them. */
  readonly env: Readonly<Record<string, string>>;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(\S*)$/;

/**
 * A service's start script must `exec node`: whoever runs it (npm, pnpm, a shell) then hands its
 * signals to the service itself. Without `exec`, `sh -c` keeps node as a child and dies on SIGTERM,
 * and node is killed without its graceful shutdown (or left running without a parent).
 */
export function parseStartScript(script: string): StartScript {
  const words = script.trim().split(/\s+/);
  const env: Record<string, string> = {};
  for (let match = ASSIGNMENT.exec(words[0] ?? ''); match; match = ASSIGNMENT.exec(words[0] ?? '')) {
    env[match[1] as string] = match[2] as string;
    words.shift();
  }
  const [exec, command, ...args] = words;
  if (exec !== 'exec' || command !== 'node') {
    throw new Error(`start script must be "[NAME=value …] exec node …", got "${script}"`);
  }
  return { env, args };
}

export function startScript(name: ServiceName, repoRoot = REPO_ROOT): StartScript {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'services', name, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const script = manifest.scripts?.start;
  if (!script) throw new Error(`services/${name}/package.json has no start script`);
  try {
    return parseStartScript(script);
  } catch (error) {
    throw new Error(`services/${name}: ${(error as Error).message}`);
  }
}

/**
 * How a service starts: its package's `start` script, the one definition that the images (their
 * CMD and ENV, checked against it), `pnpm start` and the end-to-end tests all follow.
 */
export function serviceCommand(name: ServiceName, repoRoot = REPO_ROOT): ServiceCommand {
  const { env, args } = startScript(name, repoRoot);
  return { command: process.execPath, args, cwd: join(repoRoot, 'services', name), env };
}
