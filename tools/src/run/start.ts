/*
 * `pnpm start [-- --replay FILE...]`: the whole pipeline without Docker. Starts the local engines,
 * builds the dashboard when needed, then the producer, INDEXERS indexers (default 2) and the api as
 * child processes with prefixed logs. Ctrl-C stops intake first, then the indexers, then the api.
 * With KAFKA_BROKERS and ELASTICSEARCH_URL both set, those engines are used and none is started.
 * Every other variable passes through to the services (KAFKA_TOPIC, ES_INDEX_PREFIX, PORT, …);
 * METRICS_PORT=0 lets the producer and every indexer pick a free metrics port (logged), so a second
 * pipeline can run next to another on the same engines.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type StackUpResult, stackDown, stackOptions, stackUp } from '../stack/stack.ts';
import { REPO_ROOT } from '../testing/fixtures.ts';
import { freePort } from '../testing/ports.ts';
import { waitFor } from '../testing/wait-for.ts';
import { type ManagedProcess, startProcess } from './child-process.ts';
import { prefixer } from './log-lines.ts';
import { replayProducerId } from './replay-producer-id.ts';
import { type ServiceName, serviceCommand } from './service-command.ts';

const write = (line: string) => process.stdout.write(`${line}\n`);
const colour = process.stdout.isTTY === true;

function parse() {
  const args = process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === '--'));
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      replay: { type: 'string', multiple: true },
      rate: { type: 'string' },
      loop: { type: 'string' },
    },
  });
  return { replay: [...(values.replay ?? []), ...positionals], rate: values.rate, loop: values.loop };
}

function ensureDashboard(): void {
  if (existsSync(join(REPO_ROOT, 'web', 'dist', 'index.html'))) return;
  write('[start] building the dashboard');
  const vite = join(REPO_ROOT, 'web', 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build'], {
    cwd: join(REPO_ROOT, 'web'),
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('building the dashboard failed');
}

/**
 * The engines: KAFKA_BROKERS and ELASTICSEARCH_URL when both are given (a compose stack, a cluster,
 * containers), used as they are; else the local engines, started when they are not running.
 */
async function engineEndpoints(engines: ReturnType<typeof stackOptions>): Promise<StackUpResult> {
  const { KAFKA_BROKERS: kafkaBrokers, ELASTICSEARCH_URL: elasticsearchUrl } = process.env;
  if (kafkaBrokers && elasticsearchUrl) {
    return { kafkaBrokers, elasticsearchUrl, started: { kafka: false, elasticsearch: false } };
  }
  return stackUp(engines);
}

let index = 0;
function launch(name: string, command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv) {
  const prefix = prefixer(name, index++, colour);
  return startProcess({ name, command, args, cwd, env, onLine: (line) => write(prefix(line)) });
}

function launchService(service: ServiceName, label: string, env: NodeJS.ProcessEnv): ManagedProcess {
  const { command, args, cwd, env: scriptEnv } = serviceCommand(service);
  return launch(label, command, args, cwd, { ...process.env, ...scriptEnv, ...env });
}

async function main(): Promise<void> {
  const options = parse();
  const engines = stackOptions();
  const stack = await engineEndpoints(engines);
  write(`[start] Kafka ${stack.kafkaBrokers}, Elasticsearch ${stack.elasticsearchUrl}`);
  ensureDashboard();
  const shared = { KAFKA_BROKERS: stack.kafkaBrokers, ELASTICSEARCH_URL: stack.elasticsearchUrl };
  const children: { intake: ManagedProcess[]; indexers: ManagedProcess[]; api: ManagedProcess[] } = {
    intake: [],
    indexers: [],
    api: [],
  };
  let eventStreamsUrl = process.env.EVENTSTREAMS_URL;
  let producerId = process.env.PRODUCER_ID;
  if (options.replay.length > 0) {
    const port = await freePort();
    const args = [
      join(REPO_ROOT, 'tools', 'src', 'replay', 'cli.ts'),
      ...options.replay,
      '--port',
      String(port),
    ];
    if (options.rate) args.push('--rate', options.rate);
    if (options.loop) args.push('--loop', options.loop);
    children.intake.push(launch('replay', process.execPath, args, REPO_ROOT, process.env));
    eventStreamsUrl = `http://localhost:${port}/v2/stream/recentchange`;
    producerId = replayProducerId(process.env, Date.now());
    await waitFor(() => fetch(`http://localhost:${port}/`).then(() => true), {
      timeoutMs: 30_000,
      message: 'replay server',
    });
  }
  const indexers = Number(process.env.INDEXERS ?? 2);
  const anyPort = process.env.METRICS_PORT === '0';
  const basePort = Number(process.env.METRICS_PORT ?? 9102);
  for (let i = 0; i < indexers; i++) {
    children.indexers.push(
      launchService('indexer', `indexer-${i + 1}`, {
        ...shared,
        METRICS_PORT: anyPort ? '0' : String(basePort + i),
      }),
    );
  }
  children.intake.unshift(
    launchService('producer', 'producer', {
      ...shared,
      METRICS_PORT: anyPort ? '0' : '9101',
      ...(eventStreamsUrl ? { EVENTSTREAMS_URL: eventStreamsUrl } : {}),
      ...(producerId ? { PRODUCER_ID: producerId } : {}),
    }),
  );
  children.api.push(launchService('api', 'api', shared));
  write(`[start] dashboard: http://localhost:${process.env.PORT ?? 3000}  (Ctrl-C stops everything)`);

  let stopping = false;
  const stopAll = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    write('[start] stopping: intake, then indexers, then api');
    for (const group of [children.intake, children.indexers, children.api]) {
      await Promise.all(group.map((child) => child.stop()));
    }
    if (stack.started.kafka || stack.started.elasticsearch) {
      await stackDown(engines, stack.started);
      write('[start] engines stopped');
    }
    process.exit(exitCode);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
  for (const child of [...children.intake, ...children.indexers, ...children.api]) {
    void child.exited.then((code) => {
      if (!stopping) {
        write(`[start] ${child.name} exited (${code}); stopping the rest`);
        void stopAll(1);
      }
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
