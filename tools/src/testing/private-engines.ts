import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { startElasticsearch, stopElasticsearch, waitForElasticsearch } from '../stack/elasticsearch.ts';
import { startKafka, stopKafka, waitForKafka } from '../stack/kafka.ts';
import { stackPaths } from '../stack/paths.ts';
import { twoFreePorts } from './ports.ts';

/**
 * An engine of its own for a test that has to stop and restart it (broker outage, node outage)
 * without disturbing the shared engines other tests use. Same artifacts as `pnpm stack:up`,
 * its own ports and state directory; stopped and removed when the test finishes.
 */
export interface PrivateEngine {
  readonly url: string;
  /** Stops the engine (SIGTERM, SIGKILL after the grace period); data is kept. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data and waits until it answers. */
  start(): Promise<void>;
}

function privateStateDir(name: string): string {
  // As root, Elasticsearch runs as another user, who must be able to enter the directory.
  const dir = mkdtempSync(join(process.getuid?.() === 0 ? '/var/tmp' : tmpdir(), `wikistream-${name}-`));
  chmodSync(dir, 0o755);
  return dir;
}

export async function startPrivateKafka(options: { heap?: string } = {}): Promise<PrivateEngine> {
  const stateDir = privateStateDir('kafka');
  const [port, controllerPort] = await twoFreePorts();
  const engine = {
    cacheDir: stackPaths().cacheDir,
    stateDir,
    port,
    controllerPort,
    heap: options.heap ?? '384m',
  };
  const url = `localhost:${engine.port}`;
  const start = async () => {
    await startKafka(engine);
    await waitForKafka(url, 120_000, stateDir);
  };
  onTestFinished(async () => {
    await stopKafka(stateDir);
    rmSync(stateDir, { recursive: true, force: true });
  });
  await start();
  return { url, start, stop: async () => void (await stopKafka(stateDir)) };
}

export async function startPrivateElasticsearch(options: { heap?: string } = {}): Promise<PrivateEngine> {
  const stateDir = privateStateDir('elasticsearch');
  const [port, transportPort] = await twoFreePorts();
  const engine = {
    cacheDir: stackPaths().cacheDir,
    stateDir,
    port,
    transportPort,
    heap: options.heap ?? '512m',
  };
  const url = `http://localhost:${engine.port}`;
  const start = async () => {
    await startElasticsearch(engine);
    await waitForElasticsearch(url, 180_000, stateDir);
  };
  onTestFinished(async () => {
    await stopElasticsearch(stateDir);
    rmSync(stateDir, { recursive: true, force: true });
  });
  await start();
  return { url, start, stop: async () => void (await stopElasticsearch(stateDir)) };
}
