import { spawnSync } from 'node:child_process';
import { chownSync, cpSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findJava } from './java.ts';
import { ensureElasticsearchDistribution } from './maven.ts';
import { assertPortFree } from './ports.ts';
import { groupAlive, readPid, spawnDetached, stopGroup } from './processes.ts';
import { StackError } from './stack-error.ts';

export interface ElasticsearchOptions {
  readonly cacheDir: string;
  readonly stateDir: string;
  readonly port: number;
  readonly transportPort: number;
  readonly heap: string;
}

/** Elasticsearch refuses to run as root; as root we run it as this system user. */
export const ES_USER = 'wikistream';

export function elasticsearchDir(stateDir: string): string {
  return join(stateDir, 'elasticsearch');
}

export function elasticsearchYml(options: ElasticsearchOptions): string {
  const dir = elasticsearchDir(options.stateDir);
  return `${[
    'cluster.name: wikistream',
    'node.name: wikistream-local',
    'discovery.type: single-node',
    'network.host: 127.0.0.1',
    `http.port: ${options.port}`,
    `transport.port: ${options.transportPort}`,
    `path.data: ${join(dir, 'data')}`,
    `path.logs: ${join(dir, 'logs')}`,
    // Local use only: no TLS, no users. docker-compose.yml says how to turn security on.
    'xpack.security.enabled: false',
    // A nearly full developer disk must not turn indices read-only in the middle of a test.
    'cluster.routing.allocation.disk.threshold_enabled: false',
  ].join('\n')}\n`;
}

interface RunAs {
  uid: number;
  gid: number;
}

function ensureUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = () => spawnSync('id', ['-u', ES_USER], { encoding: 'utf8' });
  let uid = lookup();
  if (uid.status !== 0) {
    const created = spawnSync(
      'useradd',
      ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', ES_USER],
      { encoding: 'utf8' },
    );
    if (created.status !== 0)
      throw new StackError(`could not create user ${ES_USER}: ${created.stderr.trim()}`);
    uid = lookup();
  }
  const gid = spawnSync('id', ['-g', ES_USER], { encoding: 'utf8' });
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function chownTree(path: string, owner: RunAs): void {
  chownSync(path, owner.uid, owner.gid);
  if (!statSync(path).isDirectory()) return;
  for (const entry of readdirSync(path)) chownTree(join(path, entry), owner);
}

/** The unprivileged user must be able to walk down to its directory. */
function assertTraversable(dir: string): void {
  for (let parent = dirname(dir); parent !== dirname(parent); parent = dirname(parent)) {
    if ((statSync(parent).mode & 0o001) === 0) {
      throw new StackError(
        `Elasticsearch runs as user ${ES_USER}, who cannot enter ${parent}; choose a WIKISTREAM_STATE_DIR outside it`,
      );
    }
  }
}

export function elasticsearchRunning(stateDir: string): boolean {
  const pid = readPid(join(elasticsearchDir(stateDir), 'elasticsearch.pid'));
  return pid !== undefined && groupAlive(pid);
}

/** Starts the node unless ours is already running; returns true when it was started now. */
export async function startElasticsearch(options: ElasticsearchOptions): Promise<boolean> {
  const dir = elasticsearchDir(options.stateDir);
  if (elasticsearchRunning(options.stateDir)) return false;
  await assertPortFree(options.port, 'Elasticsearch');
  const java = findJava(21);
  const home = ensureElasticsearchDistribution(options.cacheDir);
  const runAs = ensureUser();
  const config = join(dir, 'config');
  for (const sub of ['data', 'logs', 'tmp']) mkdirSync(join(dir, sub), { recursive: true });
  if (!existsSync(join(config, 'jvm.options'))) cpSync(join(home, 'config'), config, { recursive: true });
  writeFileSync(join(config, 'elasticsearch.yml'), elasticsearchYml(options));
  mkdirSync(join(config, 'jvm.options.d'), { recursive: true });
  writeFileSync(
    join(config, 'jvm.options.d', 'wikistream.options'),
    `-Xms${options.heap}\n-Xmx${options.heap}\n`,
  );
  if (runAs) {
    assertTraversable(dir);
    chownTree(dir, runAs);
  }
  spawnDetached({
    command: join(home, 'bin', 'elasticsearch'),
    args: [],
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      ES_JAVA_HOME: java.home,
      ES_PATH_CONF: config,
      ES_TMPDIR: join(dir, 'tmp'),
      HOME: dir,
      LANG: 'C.UTF-8',
    },
    cwd: dir,
    logFile: join(dir, 'elasticsearch.out'),
    pidFile: join(dir, 'elasticsearch.pid'),
    ...(runAs ?? {}),
  });
  return true;
}

/** Waits for cluster health yellow or green. */
export async function waitForElasticsearch(url: string, timeoutMs: number, stateDir?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (stateDir && !elasticsearchRunning(stateDir)) {
      throw new StackError(
        `Elasticsearch exited during start-up; see ${join(elasticsearchDir(stateDir), 'elasticsearch.out')}`,
      );
    }
    try {
      const response = await fetch(new URL('/_cluster/health?wait_for_status=yellow&timeout=1s', url), {
        signal: AbortSignal.timeout(3000),
      });
      if (response.ok) {
        const health = (await response.json()) as { status?: string };
        if (health.status === 'yellow' || health.status === 'green') return;
      }
      lastError = new Error(`health answered ${response.status}`);
    } catch (error) {
      lastError = error;
    }
    await sleep(500);
  }
  throw new StackError(`Elasticsearch at ${url} was not healthy within ${timeoutMs} ms`, {
    cause: lastError,
  });
}

export async function stopElasticsearch(stateDir: string): Promise<boolean> {
  return stopGroup(join(elasticsearchDir(stateDir), 'elasticsearch.pid'), 30_000);
}
