import { spawn } from 'node:child_process';
import { StackError } from '../stack/stack-error.ts';
import { type CommandResult, dockerAsync, type RunOptions } from './commands.ts';

/** One container of a compose project, as `docker compose ps` and `docker inspect` describe it. */
export interface ComposeContainer {
  readonly id: string;
  readonly name: string;
  readonly service: string;
  /** running, exited, restarting, … */
  readonly state: string;
  /** healthy, unhealthy, starting, or '' without a healthcheck. */
  readonly health: string;
  readonly exitCode: number;
}

/**
 * A compose project driven from a test. Every command is asynchronous: the test serves the stack's
 * upstream (a replay server) from its own process, which must keep answering while compose waits.
 */
export interface ComposeProject {
  readonly name: string;
  /** `docker compose -p NAME -f … ARGS`; rejects with the command's last output lines when it fails. */
  run(args: readonly string[], options?: RunOptions): Promise<CommandResult>;
  /** The same, resolving with the result whatever it is. */
  attempt(args: readonly string[], options?: RunOptions): Promise<CommandResult>;
  /** `up --detach --wait ARGS`; when it fails, the error names each troubled container with its last log lines. */
  up(args?: readonly string[]): Promise<CommandResult>;
  /** Every container of the project (stopped ones too), optionally of one service, oldest first. */
  containers(service?: string): Promise<ComposeContainer[]>;
  /** A container's whole log (stdout and stderr). */
  logs(container: ComposeContainer): Promise<string>;
}

/** `docker compose ps --format json` prints one object per line (Compose ≥ 2.21) or one array. */
export function parseComposePs(output: string): { ID: string; Name: string; Service: string }[] {
  const text = output.trim();
  if (text === '') return [];
  if (text.startsWith('[')) return JSON.parse(text) as { ID: string; Name: string; Service: string }[];
  return text.split('\n').map((line) => JSON.parse(line) as { ID: string; Name: string; Service: string });
}

const lastLines = (text: string, count: number) => text.trim().split('\n').slice(-count).join('\n');

export function composeProject(options: {
  readonly name: string;
  readonly files: readonly string[];
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
}): ComposeProject {
  const base = ['compose', '-p', options.name, ...options.files.flatMap((file) => ['-f', file])];
  const env = { ...process.env, ...options.env };
  const attempt = (args: readonly string[], runOptions: RunOptions = {}) =>
    dockerAsync([...base, ...args], { cwd: options.cwd, env, ...runOptions });
  const run = async (args: readonly string[], runOptions: RunOptions = {}) => {
    const result = await attempt(args, runOptions);
    if (result.status !== 0) {
      throw new StackError(
        `docker compose ${args.join(' ')} failed (${result.status}):\n${lastLines(`${result.stdout}${result.stderr}`, 25)}`,
      );
    }
    return result;
  };
  const project: ComposeProject = {
    name: options.name,
    run,
    attempt,
    async up(args = []) {
      const result = await attempt(['up', '--detach', '--wait', ...args]);
      if (result.status === 0) return result;
      const troubled = (await project.containers()).filter((c) =>
        c.state === 'running' ? c.health !== '' && c.health !== 'healthy' : c.exitCode !== 0,
      );
      const details = await Promise.all(
        troubled.map(
          async (c) =>
            `${c.name} (${c.state}, ${c.health || `exit ${c.exitCode}`}):\n${lastLines(await project.logs(c), 15)}`,
        ),
      );
      throw new StackError(
        `docker compose up ${args.join(' ')} failed:\n${lastLines(`${result.stdout}${result.stderr}`, 10)}\n${details.join('\n')}`,
      );
    },
    async containers(service) {
      const listed = parseComposePs(
        (await run(['ps', '--all', '--format', 'json', ...(service ? [service] : [])])).stdout,
      );
      if (listed.length === 0) return [];
      const inspected = JSON.parse((await dockerAsync(['inspect', ...listed.map((c) => c.ID)])).stdout) as {
        Id: string;
        Name: string;
        Created: string;
        Config: { Labels: Record<string, string> };
        State: { Status: string; ExitCode: number; Health?: { Status: string } };
      }[];
      return inspected
        .sort((a, b) => a.Created.localeCompare(b.Created))
        .map((c) => ({
          id: c.Id,
          name: c.Name.replace(/^\//, ''),
          service: c.Config.Labels['com.docker.compose.service'] ?? '',
          state: c.State.Status,
          health: c.State.Health?.Status ?? '',
          exitCode: c.State.ExitCode,
        }));
    },
    async logs(container) {
      const result = await dockerAsync(['logs', container.id]);
      return `${result.stdout}${result.stderr}`;
    },
  };
  return project;
}

export interface FollowedContainer {
  /** The exit code once it has stopped (removal right after stopping does not lose it). */
  readonly exitCode: Promise<number>;
  /** Everything it has logged so far. */
  logs(): string;
  close(): void;
}

/** Watches a container that is about to be stopped and removed (a scale-in): its logs and exit code. */
export function followContainer(id: string): FollowedContainer {
  let output = '';
  const logs = spawn('docker', ['logs', '--follow', id], { stdio: ['ignore', 'pipe', 'pipe'] });
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  logs.stdout.on('data', collect);
  logs.stderr.on('data', collect);
  const waiter = spawn('docker', ['wait', id], { stdio: ['ignore', 'pipe', 'ignore'] });
  let answer = '';
  waiter.stdout.on('data', (chunk: Buffer) => {
    answer += chunk.toString();
  });
  const exitCode = new Promise<number>((resolve) => {
    waiter.once('exit', () => resolve(answer.trim() === '' ? Number.NaN : Number(answer.trim())));
  });
  return {
    exitCode,
    logs: () => output,
    close() {
      logs.kill();
      waiter.kill();
    },
  };
}
