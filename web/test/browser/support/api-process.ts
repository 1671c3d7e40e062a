import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort, REPO_ROOT, waitFor } from '@wikistream/tools/testing';

/** The real API, started as its own process the way `pnpm start:api` runs it. */
export interface ApiProcess {
  readonly origin: string;
  /** The last lines it printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface ApiSettings {
  readonly elasticsearchUrl: string;
  readonly indexPrefix: string;
  readonly kafkaBrokers: string;
  readonly topic: string;
  readonly gapsTopic: string;
  readonly groupId: string;
  /** More of the api's variables. */
  readonly env?: Readonly<Record<string, string>>;
}

const MAX_OUTPUT = 20_000;

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((done) => child.once('exit', () => done()));
}

export async function startApi(settings: ApiSettings): Promise<ApiProcess> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(
    process.execPath,
    ['--disable-warning=TimeoutNegativeWarning', 'services/api/src/main.ts'],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        PORT: String(port),
        HOST: '127.0.0.1',
        ELASTICSEARCH_URL: settings.elasticsearchUrl,
        ES_INDEX_PREFIX: settings.indexPrefix,
        KAFKA_BROKERS: settings.kafkaBrokers,
        KAFKA_TOPIC: settings.topic,
        KAFKA_GAPS_TOPIC: settings.gapsTopic,
        KAFKA_GROUP_ID: settings.groupId,
        WEB_DIST_DIR: resolve(REPO_ROOT, 'web/dist'),
        LOG_LEVEL: 'warn',
        ...settings.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-MAX_OUTPUT);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited(child);
    clearTimeout(timer);
  };
  const outcome = await waitFor(
    async () => {
      if (child.exitCode !== null) return 'exited';
      const response = await fetch(`${origin}/api/ready`).catch(() => null);
      return response?.status === 200 ? 'ready' : null;
    },
    { timeoutMs: 60_000, message: 'api ready' },
  ).catch(() => 'timeout');
  if (outcome !== 'ready') {
    await stop();
    throw new Error(`the api did not become ready (${outcome}):\n${output}`);
  }
  return { origin, output: () => output, stop };
}
