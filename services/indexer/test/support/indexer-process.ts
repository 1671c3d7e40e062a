import { type ChildProcess, spawn } from 'node:child_process';
import { serviceCommand, waitFor } from '@wikistream/tools/testing';
import { onTestFinished } from 'vitest';

export interface IndexerProcess {
  readonly child: ChildProcess;
  /** Parsed JSON log lines so far. */
  readonly logs: Record<string, unknown>[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The metrics port it bound (METRICS_PORT=0), once it logged it. */
  metricsPort(): Promise<number>;
  /** A counter or gauge from /metrics, summed over its label sets. */
  metric(name: string, labels?: string): Promise<number>;
  /** The HTTP status of one of its endpoints (/healthz, /readyz). */
  status(path: string): Promise<number>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts the indexer with its `start` command and exactly the given environment (plus PATH). */
export function spawnIndexer(env: Record<string, string>): IndexerProcess {
  const { command, args, cwd, env: scriptEnv } = serviceCommand('indexer');
  const child = spawn(command, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...scriptEnv, METRICS_PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let buffered = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => logs.push({ stderr: chunk }));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const metricsPort = async () => {
    const line = await waitFor(() => logs.find((entry) => entry.msg === 'metrics listening'), {
      timeoutMs: 20_000,
      message: 'indexer metrics port in the log',
    });
    return line.port as number;
  };
  return {
    child,
    logs,
    exited,
    metricsPort,
    async metric(name, labels) {
      const text = await (await fetch(`http://127.0.0.1:${await metricsPort()}/metrics`)).text();
      return text
        .split('\n')
        .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
        .filter((line) => labels === undefined || line.includes(labels))
        .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
    },
    status: async (path) => (await fetch(`http://127.0.0.1:${await metricsPort()}${path}`)).status,
    kill: (signal) => child.kill(signal),
  };
}
