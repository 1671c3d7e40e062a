import { type ChildProcess, spawn } from 'node:child_process';
import { serviceCommand, waitFor } from '@wikistream/tools/testing';
import { onTestFinished } from 'vitest';

/** The producer as the real process it is in production: its `start` command with an environment. */
export interface ProducerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Parsed JSON log lines so far. */
  readonly logs: Record<string, unknown>[];
  readonly exited: Promise<number | null>;
  metricsPort(): Promise<number>;
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  waitForLog(
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  kill(signal: NodeJS.Signals): void;
}

export function spawnProducer(env: Record<string, string>): ProducerProcess {
  const { command, args, cwd, env: scriptEnv } = serviceCommand('producer');
  const child = spawn(command, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...scriptEnv, METRICS_PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const waitForLog: ProducerProcess['waitForLog'] = (predicate, timeoutMs = 30_000) =>
    waitFor(() => logs.find(predicate), {
      timeoutMs,
      message: `producer log line (stderr: ${stderr.slice(-500)})`,
    });
  const metricsPort = async () =>
    Number(
      (await waitForLog((line) => typeof line.port === 'number' && String(line.msg).includes('listening')))
        .port,
    );
  return {
    child,
    pid: child.pid as number,
    logs,
    exited,
    metricsPort,
    waitForLog,
    async metric(name, labels = {}) {
      const text = await (await fetch(`http://127.0.0.1:${await metricsPort()}/metrics`)).text();
      const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
      let total = 0;
      for (const line of text.split('\n')) {
        if (!line.startsWith(name) || line.startsWith('#')) continue;
        const [series, value] = line.split(' ');
        if (series !== name && !series?.startsWith(`${name}{`)) continue;
        if (wanted.every((w) => series?.includes(w))) total += Number(value);
      }
      return total;
    },
    kill: (signal) => child.kill(signal),
  };
}
