/*
 * The compose stack's memory, as `docker compose up` runs it: the repository's docker-compose.yml
 * (plus the test override that points the producer at a replay server on this host), at a given
 * event rate and indexer count.
 *
 * Method: per phase, a fresh stack (`down -v` first) comes up healthy with a replay server that
 * appends events at `rate` forever; after `warmupSeconds`, `docker stats` is read every 5 s for
 * `sampleSeconds`. Each container's memory is Docker's own figure (its cgroup's usage less the
 * page cache, as `docker stats` shows it); the total is the sum per reading. The pipeline's own
 * out-rate at the end says whether it kept up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { dockerAsync } from '../docker/commands.ts';
import { pipeline } from '../docker/compose-checks.ts';
import { ulimitsAllowed, writeComposeOverride } from '../docker/compose-override.ts';
import { composeProject } from '../docker/compose-project.ts';
import { percentile } from '../e2e/process-stats.ts';
import { startReplayServer } from '../replay/server.ts';
import { loadSource } from '../replay/source-events.ts';
import { fixtureFiles, REPO_ROOT } from '../testing/fixtures.ts';
import { freePort } from '../testing/ports.ts';

export interface ComposePhase {
  /** Events per second the upstream appends (the live stream is ≈ 30). */
  readonly rate: number;
  readonly indexers: number;
}

export interface ComposeMemory extends ComposePhase {
  readonly readings: number;
  /** Per service (indexers summed), median and peak MiB. */
  readonly services: Record<string, { median: number; peak: number }>;
  readonly total: { median: number; peak: number };
  /** Events indexed per second at the end, by the api's pipeline view. */
  readonly indexedPerSecond: number;
}

export interface ComposeBenchResult {
  readonly warmupSeconds: number;
  readonly sampleSeconds: number;
  readonly phases: readonly ComposeMemory[];
}

export interface ComposeBenchOptions {
  readonly phases?: readonly ComposePhase[];
  readonly warmupSeconds?: number;
  readonly sampleSeconds?: number;
  readonly log?: (line: string) => void;
}

const PROJECT = 'wikistream-bench';
const UNITS: Record<string, number> = {
  B: 1 / 2 ** 20,
  KiB: 1 / 1024,
  MiB: 1,
  GiB: 1024,
  kB: 1 / 1024,
  MB: 1,
  GB: 1024,
};

/** "123.4MiB / 512MiB" → 123.4 */
export function parseMemUsage(text: string): number {
  const match = /^([\d.]+)\s*([KMG]i?B|[kMG]B|B)/.exec(text.trim());
  if (!match) throw new Error(`not a docker stats memory figure: "${text}"`);
  return Number(match[1]) * (UNITS[match[2] ?? 'B'] ?? Number.NaN);
}

async function readStats(ids: readonly string[]): Promise<Map<string, number>> {
  const result = await dockerAsync(['stats', '--no-stream', '--format', '{{json .}}', ...ids]);
  const usage = new Map<string, number>();
  for (const line of result.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const row = JSON.parse(line) as { ID: string; MemUsage: string };
    usage.set(row.ID, parseMemUsage(row.MemUsage));
  }
  return usage;
}

const summary = (values: readonly number[]) => ({
  median: Math.round(percentile(values, 50)),
  peak: Math.round(Math.max(...values)),
});

async function measurePhase(
  phase: ComposePhase,
  settings: { warmupSeconds: number; sampleSeconds: number; resetUlimits: boolean },
  log: (line: string) => void,
): Promise<ComposeMemory> {
  const dir = mkdtempSync(join(tmpdir(), 'wikistream-bench-compose-'));
  const base = composeProject({
    name: PROJECT,
    files: [join(REPO_ROOT, 'docker-compose.yml')],
    cwd: REPO_ROOT,
  });
  await base.attempt(['down', '--volumes', '--remove-orphans']);
  const server = await startReplayServer({
    source: loadSource(fixtureFiles()).events,
    loops: 0,
    pacing: { kind: 'rate', perSecond: phase.rate },
    host: '0.0.0.0',
    port: 0,
  });
  const apiPort = await freePort();
  const project = composeProject({
    name: PROJECT,
    files: [
      join(REPO_ROOT, 'docker-compose.yml'),
      writeComposeOverride(dir, {
        upstreamPort: server.port,
        since: Date.now() - 1000,
        resetUlimits: settings.resetUlimits,
      }),
    ],
    cwd: REPO_ROOT,
    env: { API_PORT: String(apiPort) },
  });
  try {
    log(`[compose] ${phase.rate} events/s, ${phase.indexers} indexer(s): up`);
    await project.up(['--build', '--scale', `indexer=${phase.indexers}`]);
    await sleep(settings.warmupSeconds * 1000);
    const containers = (await project.containers()).filter((c) => c.state === 'running');
    const service = new Map(containers.map((c) => [c.id.slice(0, 12), c.service]));
    const perService = new Map<string, number[]>();
    const totals: number[] = [];
    const until = Date.now() + settings.sampleSeconds * 1000;
    while (Date.now() < until) {
      const reading = await readStats(containers.map((c) => c.id));
      const byService = new Map<string, number>();
      for (const [id, mib] of reading) {
        const name = service.get(id.slice(0, 12)) ?? id;
        byService.set(name, (byService.get(name) ?? 0) + mib);
      }
      for (const [name, mib] of byService) perService.set(name, [...(perService.get(name) ?? []), mib]);
      totals.push([...byService.values()].reduce((sum, mib) => sum + mib, 0));
      await sleep(5000);
    }
    const indexedPerSecond = (await pipeline(`http://127.0.0.1:${apiPort}`))?.rates.outPerSecond ?? 0;
    const result: ComposeMemory = {
      ...phase,
      readings: totals.length,
      services: Object.fromEntries([...perService].map(([name, values]) => [name, summary(values)])),
      total: summary(totals),
      indexedPerSecond: Math.round(indexedPerSecond),
    };
    log(
      `[compose] ${phase.rate} events/s, ${phase.indexers} indexer(s): total median ${result.total.median} MiB, peak ${result.total.peak} MiB; ${JSON.stringify(result.services)}`,
    );
    return result;
  } finally {
    await project.attempt(['down', '--volumes', '--remove-orphans']);
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runComposeBench(options: ComposeBenchOptions = {}): Promise<ComposeBenchResult> {
  const log = options.log ?? (() => undefined);
  const settings = {
    warmupSeconds: options.warmupSeconds ?? 60,
    sampleSeconds: options.sampleSeconds ?? 120,
    resetUlimits: !ulimitsAllowed(),
  };
  const phases = options.phases ?? [
    { rate: 30, indexers: 1 },
    { rate: 3000, indexers: 1 },
    { rate: 3000, indexers: 3 },
  ];
  const results: ComposeMemory[] = [];
  for (const phase of phases) results.push(await measurePhase(phase, settings, log));
  return { warmupSeconds: settings.warmupSeconds, sampleSeconds: settings.sampleSeconds, phases: results };
}
