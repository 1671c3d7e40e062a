import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROJECT_VERSION, type StatsResponse } from '@wikistream/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceConfig } from '../../src/compose/compose-facts.ts';
import { dockerAsync } from '../../src/docker/commands.ts';
import { groupSettled, kafkaRecordIds, pipeline, storeCounts } from '../../src/docker/compose-checks.ts';
import { ulimitsAllowed, writeComposeOverride } from '../../src/docker/compose-override.ts';
import { composeVersion } from '../../src/docker/compose-plugin.ts';
import {
  type ComposeContainer,
  type ComposeProject,
  composeProject,
  type FollowedContainer,
  followContainer,
} from '../../src/docker/compose-project.ts';
import { loadSource, type ReplayServer, startReplayServer } from '../../src/replay/index.ts';
import { launchBrowser } from '../../src/testing/browser.ts';
import { fixtureFiles, freePort, REPO_ROOT, waitFor } from '../../src/testing/index.ts';

/**
 * `docker compose up` as users run it: the repository's docker-compose.yml, built and run on a real
 * engine, plus only a test override that points the producer at a replay server on this host (and
 * drops the engine's ulimits where this host refuses them). Then scaled, killed, stopped, taken
 * down and brought up again mid-stream, and checked to hold every replayed event exactly once.
 */
const PROJECT = 'wikistream-compose-test';
const COMPOSE_FILE = join(REPO_ROOT, 'docker-compose.yml');
const PARTITIONS = 6;
const TOPIC = 'wikimedia.recentchange';
const INDEX_PREFIX = 'wikimedia-recentchange';
/** Every recorded event once, at the live rate: about 200 s, through every step up to the second `up`. */
const RATE = 30;

const log = (line: string) => process.stdout.write(`[compose] ${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function stats(apiUrl: string, from: number, to: number): Promise<StatsResponse | undefined> {
  const query = `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;
  const response = await fetch(`${apiUrl}/api/stats?${query}`).catch(() => undefined);
  return response?.ok ? ((await response.json()) as StatsResponse) : undefined;
}

describe('docker compose, as users run it', () => {
  let dir: string;
  let server: ReplayServer | undefined;
  let project: ComposeProject;
  let apiUrl: string;
  let streamFrom: number;
  const timings: Record<string, string> = {};
  const sessionTimeoutMs = Number(
    serviceConfig(REPO_ROOT, 'indexer').find((v) => v.variable === 'KAFKA_SESSION_TIMEOUT_MS')?.default,
  );
  const timed = async <T>(step: string, work: () => T | Promise<T>): Promise<T> => {
    const started = Date.now();
    const result = await work();
    timings[step] = seconds(Date.now() - started);
    log(`${step}: ${timings[step]}`);
    return result;
  };
  const indexers = async () => (await project.containers('indexer')).filter((c) => c.state === 'running');

  beforeAll(async () => {
    if (!composeVersion())
      throw new Error('Docker Compose v2 does not answer: run pnpm docker:prepare first');
    dir = mkdtempSync(join(tmpdir(), 'wikistream-compose-'));
    const apiPort = await freePort();
    apiUrl = `http://127.0.0.1:${apiPort}`;
    // Leftovers of an interrupted run would hold the name, the port and old data.
    await composeProject({ name: PROJECT, files: [COMPOSE_FILE], cwd: REPO_ROOT }).attempt([
      'down',
      '--volumes',
      '--remove-orphans',
    ]);
    await timed('build the images', () =>
      composeProject({ name: PROJECT, files: [COMPOSE_FILE], cwd: REPO_ROOT }).run(['build']),
    );
    const resetUlimits = !ulimitsAllowed();
    server = await startReplayServer({
      source: loadSource(fixtureFiles()).events,
      pacing: { kind: 'rate', perSecond: RATE },
      host: '0.0.0.0',
      port: 0,
      canaryIntervalMs: 5000,
    });
    streamFrom = Date.now() - 1000;
    const override = writeComposeOverride(dir, {
      upstreamPort: server.port,
      since: streamFrom,
      resetUlimits,
    });
    project = composeProject({
      name: PROJECT,
      files: [COMPOSE_FILE, override],
      cwd: REPO_ROOT,
      env: { API_PORT: String(apiPort) },
    });
  }, 900_000);

  afterAll(async () => {
    log(`timings: ${JSON.stringify(timings)}`);
    await project?.attempt(['down', '--volumes', '--remove-orphans']);
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  it('comes up with every service healthy', async () => {
    await timed('up --wait', () => project.up());
    const containers = await project.containers();
    const byService = (service: string) => containers.filter((c) => c.service === service);
    for (const service of ['kafka', 'elasticsearch', 'producer', 'indexer', 'api']) {
      expect(
        byService(service).map((c) => `${c.state}/${c.health}`),
        service,
      ).toEqual(['running/healthy']);
    }
    expect(byService('kafka-init').map((c) => `${c.state}/${c.exitCode}`)).toEqual(['exited/0']);
    // The api is published on loopback only unless API_BIND widens it; nothing else is published.
    const api = byService('api')[0]?.id ?? '';
    expect((await dockerAsync(['port', api, '3000/tcp'])).stdout.trim().split('\n')).toEqual([
      new URL(apiUrl).host,
    ]);
    // Every Node service runs as the non-root user of its image, labelled with the project's version.
    for (const service of ['producer', 'indexer', 'api']) {
      const id = byService(service)[0]?.id ?? '';
      expect((await dockerAsync(['exec', id, 'id', '-u'])).stdout.trim(), service).toBe('1000');
      const image = (await dockerAsync(['inspect', '--format', '{{.Image}}', id])).stdout.trim();
      const labels = JSON.parse(
        (await dockerAsync(['image', 'inspect', '--format', '{{json .Config.Labels}}', image])).stdout,
      ) as Record<string, string>;
      expect(labels).toMatchObject({
        'org.opencontainers.image.version': PROJECT_VERSION,
        'org.opencontainers.image.title': `wikistream-${service}`,
        'org.opencontainers.image.licenses': 'MIT',
      });
    }
  }, 300_000);

  it('scales to three indexers that share the six partitions', async () => {
    await timed('scale to 3 indexers', () => project.up(['--scale', 'indexer=3']));
    const { report } = await groupSettled(apiUrl, 3, PARTITIONS, 120_000);
    expect(report.indexers.members.map((member) => member.partitions.length)).toEqual([2, 2, 2]);
  }, 300_000);

  it('keeps going when an indexer and the producer are SIGKILLed mid-stream', async () => {
    expect(server?.log.exhausted).toBe(false);
    const victim = (await indexers()).at(-1) as ComposeContainer;
    const producer = (await project.containers('producer'))[0] as ComposeContainer;
    const killed = Date.now();
    await dockerAsync(['kill', '--signal', 'KILL', victim.id, producer.id]);
    // A member that vanishes keeps its partitions until its session times out.
    const { ms } = await groupSettled(apiUrl, 2, PARTITIONS, sessionTimeoutMs + 60_000);
    timings['partitions taken over after a SIGKILL'] = seconds(ms);
    log(`survivors own every partition ${seconds(Date.now() - killed)} after the SIGKILL`);
    await timed('up again after the kills', () => project.up(['--scale', 'indexer=3']));
    await groupSettled(apiUrl, 3, PARTITIONS, 120_000);
  }, 300_000);

  it('scales in gracefully: the stopped indexer leaves its group and exits 0, survivors take over at once', async () => {
    const followed = new Map((await indexers()).map((c) => [c.id, followContainer(c.id)]));
    try {
      // Timed from the command: compose stops one member while the poll watches the group.
      const started = Date.now();
      const [, settled] = await Promise.all([
        project.up(['--scale', 'indexer=2']),
        groupSettled(apiUrl, 2, PARTITIONS, sessionTimeoutMs + 60_000),
      ]);
      const pause = settled.ms;
      timings['partitions taken over after a graceful scale-in'] = seconds(pause);
      log(
        `scale-in 3 → 2: survivors own every partition ${seconds(pause)} after the command (${seconds(Date.now() - started)} until compose returned)`,
      );
      const remaining = new Set((await indexers()).map((c) => c.id));
      const gone = [...followed.entries()].filter(([id]) => !remaining.has(id));
      expect(gone).toHaveLength(1);
      const [, stopped] = gone[0] as [string, FollowedContainer];
      expect(await stopped.exitCode).toBe(0);
      expect(stopped.logs()).toMatch(/"reason":"SIGTERM".*"msg":"stopping"/);
      // A member that left by itself is not waited for until its session times out.
      expect(pause).toBeLessThan(sessionTimeoutMs);
    } finally {
      for (const follow of followed.values()) follow.close();
    }
  }, 300_000);

  it('stops the producer gracefully: exit 0 and its last batch committed', async () => {
    const producer = (await project.containers('producer'))[0] as ComposeContainer;
    await timed('stop the producer', () => project.run(['stop', 'producer']));
    const after = (await project.containers('producer'))[0] as ComposeContainer;
    expect(after.id).toBe(producer.id);
    expect(after.exitCode).toBe(0);
    const lines = await project.logs(after);
    expect(lines).toContain('stopping: closing the upstream, committing the last batch');
    expect(lines).toContain('stopped: the upstream is closed and the last batch committed');
    await project.run(['start', 'producer']);
  }, 120_000);

  it('stops every service gracefully, and after down and up resumes from the cursor with the data kept', async () => {
    await sleep(5000);
    await timed('stop everything', () => project.run(['stop']));
    for (const container of await project.containers()) {
      if (['producer', 'indexer', 'api'].includes(container.service)) {
        expect(`${container.name}: ${container.exitCode}`).toBe(`${container.name}: 0`);
        const logs = await project.logs(container);
        expect(logs).toMatch(/"msg":"(stopping|shutting down)/);
        // Start, scale-out, rebalances after a peer left or was killed, stop: routine, so nothing
        // at error level (real failures, such as a broker that is gone, still are).
        expect(
          logs.split('\n').filter((line) => /"level":(50|60)[,}]/.test(line)),
          container.name,
        ).toEqual([]);
      }
    }
    await timed('down (volumes kept)', () => project.run(['down']));
    log(`stream ${server?.log.exhausted ? 'already ended' : 'still running'} while the stack is down`);
    await sleep(10_000);
    await timed('up again', () => project.up());
    // The new producer container starts from the cursor in the kept Kafka volume, not from SINCE.
    const producer = (await project.containers('producer'))[0] as ComposeContainer;
    const resumed = (await project.logs(producer))
      .split('\n')
      .find((line) => line.includes('"msg":"resuming"'));
    expect(JSON.parse(resumed ?? '{}')).toMatchObject({ cursor: expect.any(String) });
  }, 300_000);

  it('holds every replayed event exactly once: in Kafka, in Elasticsearch and in the API', async () => {
    const replay = server as ReplayServer;
    await waitFor(() => replay.log.exhausted, { timeoutMs: (replay.sourceSize / RATE) * 1000 + 120_000 });
    const ids = replay.log.validIds();
    const to = replay.log.timestamp(replay.log.length - 1) + 60_000;
    const totals = await waitFor(
      async () => {
        const answer = await stats(apiUrl, streamFrom - 60_000, to);
        return answer?.totals.events === ids.length ? answer.totals : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 2000, message: `the api to count ${ids.length} events` },
    );
    expect(totals.events).toBe(ids.length);
    const store = await storeCounts(project, INDEX_PREFIX, ids);
    expect(store).toEqual({ documents: ids.length, found: ids.length });
    const records = await kafkaRecordIds(project, TOPIC);
    const duplicated = [...records.values()].filter((count) => count > 1).length;
    const missing = ids.filter((id) => !records.has(id)).length;
    expect({ records: records.size, duplicated, missing }).toEqual({
      records: ids.length,
      duplicated: 0,
      missing: 0,
    });
    const report = await pipeline(apiUrl);
    expect(report?.gaps).toEqual([]);
    expect(report?.deadLetters.total).toBe(0);
    log(`${ids.length} events: ${records.size} records, ${store.documents} documents, api ${totals.events}`);
  }, 600_000);

  it('shows the replayed events on the dashboard, opened in Chromium through the published port', async () => {
    const replay = server as ReplayServer;
    const from = new Date(streamFrom - 60_000).toISOString();
    const to = new Date(replay.log.timestamp(replay.log.length - 1) + 60_000).toISOString();
    const totals = (await stats(apiUrl, Date.parse(from), Date.parse(to)))?.totals;
    expect(totals?.edits).toBeGreaterThan(0);
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${apiUrl}/?range=custom&from=${from}&to=${to}`);
      const edits = page.locator('#kpis [data-kpi="edits"] .kpi-value');
      await waitFor(async () => Number((await edits.textContent())?.replace(/\D/g, '')) === totals?.edits, {
        timeoutMs: 60_000,
        message: `the dashboard to show ${totals?.edits} edits`,
      });
      expect(await page.locator('#top-wikis tbody tr').count()).toBeGreaterThan(0);
      const lagTable = page.locator('#pipeline table', {
        has: page.locator('caption', { hasText: 'Consumer lag per partition' }),
      });
      expect(await lagTable.locator('tbody tr').count()).toBe(PARTITIONS);
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('has a valid Kibana profile (Kibana itself needs an image from a registry)', async () => {
    const config = await composeProject({ name: PROJECT, files: [COMPOSE_FILE], cwd: REPO_ROOT }).run([
      '--profile',
      'kibana',
      'config',
      '--services',
    ]);
    expect(config.stdout.split('\n')).toContain('kibana');
  });
});
