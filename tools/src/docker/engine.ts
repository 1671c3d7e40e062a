import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnDetached } from '../stack/processes.ts';
import { StackError } from '../stack/stack-error.ts';
import { engineAnswers, onPath, runOrThrow } from './commands.ts';

export type EngineState = 'answering' | 'started';

export interface EngineOptions {
  /** Where dockerd's log and pid file go when it has to be started here. */
  readonly stateDir: string;
  readonly log: (line: string) => void;
  readonly startTimeoutMs?: number;
}

const isRoot = () => process.getuid?.() === 0;

/** Debian's engine and what its NAT needs; Compose v2 comes separately (compose-plugin.ts). */
const ENGINE_PACKAGES = ['docker.io', 'iptables'];

export function aptInstall(packages: readonly string[]): void {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  runOrThrow('apt-get', ['update', '-qq'], 'apt-get update', { env });
  runOrThrow(
    'apt-get',
    ['install', '-y', '-qq', '--no-install-recommends', ...packages],
    `installing ${packages.join(', ')}`,
    { env },
  );
}

export function canInstallPackages(): boolean {
  return isRoot() && onPath('apt-get') !== undefined;
}

/**
 * A Docker engine that answers: the one already running, else Debian's `docker.io` (installed when
 * missing, as root) started by hand — machines without systemd have nothing else to start it.
 */
export async function ensureEngine(options: EngineOptions): Promise<EngineState> {
  if (engineAnswers()) return 'answering';
  if (!onPath('dockerd') || !onPath('docker')) {
    if (!canInstallPackages()) {
      throw new StackError(
        'no Docker engine answers and none is installed: install Docker Engine with Compose v2 (or run this as root on Debian, where it installs docker.io)',
      );
    }
    options.log(`installing ${ENGINE_PACKAGES.join(', ')} with apt`);
    aptInstall(ENGINE_PACKAGES);
    // Where an init system started it on installation, there is nothing more to do.
    if (engineAnswers()) return 'started';
  }
  if (!isRoot()) {
    throw new StackError(
      'Docker is installed but its daemon does not answer: start it (e.g. sudo systemctl start docker) or add your user to the docker group',
    );
  }
  mkdirSync(options.stateDir, { recursive: true });
  const logFile = join(options.stateDir, 'dockerd.log');
  options.log(`starting dockerd (log: ${logFile})`);
  spawnDetached({
    command: 'dockerd',
    args: [],
    env: process.env,
    cwd: '/',
    logFile,
    pidFile: join(options.stateDir, 'dockerd.pid'),
  });
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (engineAnswers()) return 'started';
    await sleep(250);
  }
  const tail = existsSync(logFile)
    ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-15).join('\n')
    : '';
  throw new StackError(
    `dockerd did not answer within ${(options.startTimeoutMs ?? 60_000) / 1000} s:\n${tail}`,
  );
}
