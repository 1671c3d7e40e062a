import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

const CLI = fileURLToPath(new URL('../../../src/reindex/cli.ts', import.meta.url));

export interface CliRun {
  readonly child: ChildProcess;
  /** Resolves when the process ends: its code (or signal), and everything it printed. */
  readonly done: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>;
  stderr(): string;
}

/** `pnpm reindex -- ARGS` as a user runs it (a leading `--` included), in a process of its own. */
export function startCli(env: Record<string, string>, args: readonly string[]): CliRun {
  const child = spawn(process.execPath, ['--disable-warning=TimeoutNegativeWarning', CLI, '--', ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, done, stderr: () => stderr };
}

/** Runs it to the end; throws with its output unless it exits 0. Returns the JSON summary (or the report). */
export async function runCli(env: Record<string, string>, args: readonly string[]) {
  const { code, stdout, stderr } = await startCli(env, args).done;
  if (code !== 0) throw new Error(`reindex exited ${code}:\n${stderr.slice(-4000)}`);
  return { stdout, stderr };
}
