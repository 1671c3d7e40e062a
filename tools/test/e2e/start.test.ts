import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { countDocuments } from '../../src/e2e/outcome.ts';
import { pipelineNames } from '../../src/e2e/pipeline.ts';
import { alive, childPids } from '../../src/e2e/process-stats.ts';
import { startProcess } from '../../src/run/child-process.ts';
import { launchBrowser } from '../../src/testing/browser.ts';
import { deleteIndicesWithPrefix, testElasticsearch } from '../../src/testing/elasticsearch.ts';
import { REPO_ROOT } from '../../src/testing/fixtures.ts';
import { deleteConsumerGroups, deleteTopics } from '../../src/testing/kafka.ts';
import { freePort } from '../../src/testing/ports.ts';
import { waitFor } from '../../src/testing/wait-for.ts';

const RECORDING = 'fixtures/recentchange/dataplumbhub-stream2025-05-03.ndjson';

/** What a child of `pnpm start` is, from its command line and working directory. */
function role(pid: number): string {
  const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  if (command.includes('replay/cli.ts')) return 'replay';
  const cwd = readlinkSync(`/proc/${pid}/cwd`);
  return cwd.split('/').at(-1) ?? 'unknown';
}

const recordedIds = () =>
  new Set(
    readFileSync(join(REPO_ROOT, RECORDING), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => (JSON.parse(line) as { meta: { id: string } }).meta.id),
  );

describe('pnpm start with a recording', () => {
  it('brings the whole pipeline up on the running engines, shows the recorded events on the dashboard, and stops it in order on SIGINT with exit 0', async () => {
    const brokers = inject('kafkaBrokers');
    const elasticsearchUrl = inject('elasticsearchUrl');
    const names = pipelineNames('start');
    onTestFinished(async () => {
      await deleteTopics(brokers, [names.topic, names.deadLetterTopic, names.cursorTopic, names.gapsTopic]);
      await deleteConsumerGroups(brokers, [names.group]);
      await deleteIndicesWithPrefix(elasticsearchUrl, names.prefix);
    });
    const port = await freePort();
    const output: string[] = [];
    const start = startProcess({
      name: 'start',
      command: process.execPath,
      args: [
        '--disable-warning=TimeoutNegativeWarning',
        'tools/src/run/start.ts',
        '--',
        '--replay',
        RECORDING,
      ],
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        // The engines this run uses, given as users give theirs (and left running afterwards).
        KAFKA_BROKERS: brokers,
        ELASTICSEARCH_URL: elasticsearchUrl,
        KAFKA_TOPIC: names.topic,
        KAFKA_CURSOR_TOPIC: names.cursorTopic,
        KAFKA_GAPS_TOPIC: names.gapsTopic,
        PRODUCER_ID: names.producerId,
        KAFKA_GROUP_ID: names.group,
        ES_INDEX_PREFIX: names.prefix,
        PORT: String(port),
        HOST: '127.0.0.1',
        METRICS_PORT: '0',
        // From the first recorded event on, although the producer connects after the replay started.
        SINCE: String(Date.now() - 60_000),
      },
      onLine: (line) => output.push(line),
    });
    onTestFinished(async () => {
      for (const pid of childPids(start.child.pid ?? -1)) process.kill(pid, 'SIGKILL');
      await start.stop(1000);
    });
    const origin = `http://127.0.0.1:${port}`;
    const tail = () => output.slice(-30).join('\n');
    await waitFor(async () => (await fetch(`${origin}/api/ready`)).status === 200, {
      timeoutMs: 120_000,
      intervalMs: 500,
    }).catch((error: unknown) => {
      throw new Error(`the api did not become ready:\n${tail()}`, { cause: error });
    });

    const client = testElasticsearch(elasticsearchUrl);
    onTestFinished(() => client.close());
    await waitFor(async () => (await countDocuments(client, names.prefix)) >= 10, {
      timeoutMs: 90_000,
      intervalMs: 500,
      message: 'recorded events indexed',
    });

    const browser = await launchBrowser();
    onTestFinished(() => browser.close());
    const page = await browser.context.newPage();
    await page.goto(`${origin}/`);
    await page.waitForSelector('#live-feed .live-status[data-status="live"]', { timeout: 30_000 });
    // Searchable: the newest indexed events are listed; live: new ones arrive as the recording plays.
    await page.waitForSelector('#search tbody tr[data-key]', { timeout: 30_000 });
    await page.waitForSelector('#live-feed .live-item', { timeout: 60_000 });
    const known = recordedIds();
    const searched = await page.$$eval('#search tbody tr[data-key]', (rows) =>
      rows.map((row) => row.getAttribute('data-key') ?? ''),
    );
    const live = await page.$$eval('#live-feed .live-item', (items) =>
      items.map((item) => item.getAttribute('data-id') ?? ''),
    );
    expect(searched.length).toBeGreaterThan(0);
    expect(searched.filter((id) => !known.has(id))).toEqual([]);
    expect(live.filter((id) => !known.has(id))).toEqual([]);
    await page.close();

    const children = childPids(start.child.pid ?? -1).map((pid) => ({ pid, role: role(pid) }));
    expect(children.map((child) => child.role).sort()).toEqual([
      'api',
      'indexer',
      'indexer',
      'producer',
      'replay',
    ]);
    const goneAt = new Map<number, number>();
    start.child.kill('SIGINT');
    const code = start.exited;
    const sweep = () => {
      for (const child of children)
        if (!goneAt.has(child.pid) && !alive(child.pid)) goneAt.set(child.pid, Date.now());
    };
    while (start.child.exitCode === null && start.child.signalCode === null) {
      sweep();
      await sleep(20);
    }
    sweep();
    expect(await code, tail()).toBe(0);
    for (const child of children) expect(alive(child.pid), child.role).toBe(false);
    const when = (roles: string[]) =>
      children
        .filter((child) => roles.includes(child.role))
        .map((child) => goneAt.get(child.pid) ?? Number.NaN);
    expect(Math.max(...when(['replay', 'producer']))).toBeLessThanOrEqual(Math.min(...when(['indexer'])));
    expect(Math.max(...when(['indexer']))).toBeLessThanOrEqual(Math.min(...when(['api'])));
    expect(output).toContain('[start] stopping: intake, then indexers, then api');
    // A normal start, two indexers joining one group (a rebalance) and a stop: nothing an operator
    // should look at, so no line at error or fatal level.
    expect(output.filter((line) => /"level":(50|60)[,}]/.test(line))).toEqual([]);
    // The shared engines are still there for everybody else.
    expect((await fetch(`${elasticsearchUrl}/_cluster/health`)).ok).toBe(true);
    expect(output.some((line) => line.includes('engines stopped'))).toBe(false);
  }, 300_000);
});
