import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { StackError } from '../stack/stack-error.ts';

/** What a finished command said; `status` is -1 when it could not be started at all. */
export interface CommandResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly input?: string | Buffer;
  /** Show the command's output as it runs (long builds) instead of capturing it. */
  readonly inherit?: boolean;
}

export function run(command: string, args: readonly string[], options: RunOptions = {}): CommandResult {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: options.inherit ? ['pipe', 'inherit', 'inherit'] : 'pipe',
  });
  return {
    status: result.error ? -1 : (result.status ?? -1),
    stdout: result.stdout ?? '',
    stderr: result.error ? result.error.message : (result.stderr ?? ''),
  };
}

/** Runs a command that must succeed; its last lines of output become the error's message. */
export function runOrThrow(
  command: string,
  args: readonly string[],
  what: string,
  options: RunOptions = {},
): CommandResult {
  const result = run(command, args, options);
  if (result.status !== 0) {
    const output = `${result.stdout}${result.stderr}`.trim().split('\n').slice(-20).join('\n');
    throw new StackError(
      `${what} failed (${command} exited ${result.status})${output ? `:\n${output}` : ''}`,
    );
  }
  return result;
}

export function docker(args: readonly string[], options: RunOptions = {}): CommandResult {
  return run('docker', args, options);
}

/** An executable of that name on PATH. */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** True when a Docker engine answers the CLI. */
export function engineAnswers(): boolean {
  return docker(['info', '--format', '{{.ServerVersion}}']).status === 0;
}

export interface ImageInfo {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
}

export function inspectImage(name: string): ImageInfo | undefined {
  const result = docker(['image', 'inspect', '--format', '{{json .}}', name]);
  if (result.status !== 0) return undefined;
  const image = JSON.parse(result.stdout) as {
    Id: string;
    Config?: { Labels?: Record<string, string> | null };
  };
  return { id: image.Id, labels: image.Config?.Labels ?? {} };
}

/**
 * `run` without blocking the event loop: for callers that serve something in the same process
 * while the command runs (a test's replay server that the containers it starts connect to).
 */
export function runAsync(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', options.inherit ? 'inherit' : 'pipe', options.inherit ? 'inherit' : 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', (error) => resolve({ status: -1, stdout, stderr: error.message }));
    child.once('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
    child.stdin?.end(options.input ?? '');
  });
}

export function dockerAsync(args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  return runAsync('docker', args, options);
}
