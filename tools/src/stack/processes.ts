import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DetachedOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly logFile: string;
  readonly pidFile: string;
  readonly uid?: number;
  readonly gid?: number;
}

/**
 * Starts a process in its own process group, detached from ours, output appended to `logFile`.
 * The group id (= pid) goes to `pidFile`, so a later `stack:down` can stop the whole tree.
 */
export function spawnDetached(options: DetachedOptions): number {
  const log = openSync(options.logFile, 'a');
  try {
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', log, log],
      ...(options.uid === undefined ? {} : { uid: options.uid }),
      ...(options.gid === undefined ? {} : { gid: options.gid }),
    });
    if (child.pid === undefined) throw new Error(`could not start ${options.command}`);
    child.unref();
    writeFileSync(options.pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

export function readPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/** True while any process of the group led by `pid` exists. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** SIGTERM to the group, SIGKILL after `graceMs`; resolves once every process of it is gone. */
export async function stopGroup(pidFile: string, graceMs: number): Promise<boolean> {
  const pid = readPid(pidFile);
  if (pid === undefined) return false;
  let stopped = false;
  if (groupAlive(pid)) {
    stopped = true;
    signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (groupAlive(pid) && Date.now() < deadline) await sleep(100);
    if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
    while (groupAlive(pid)) await sleep(50);
  }
  rmSync(pidFile, { force: true });
  return stopped;
}

/** Synchronous best effort, for process exit handlers. */
export function killGroupNow(pidFile: string): void {
  const pid = readPid(pidFile);
  if (pid !== undefined) signalGroup(pid, 'SIGKILL');
}
