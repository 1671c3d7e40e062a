import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stackDown, stackOptions, stackStatus, stackUp } from '../../src/stack/index.ts';

/** Our engines still alive: any process whose command line mentions the state directory. */
function processesUsing(stateDir: string): string[] {
  const result = spawnSync('pgrep', ['-f', stateDir], { encoding: 'utf8' });
  return result.stdout.split('\n').filter(Boolean);
}

describe('the Docker-free stack', () => {
  // A second, private stack on other ports, so the one serving the other tests is left alone.
  // /var/tmp, not /tmp: as root, Elasticsearch runs as another user and must be able to enter it.
  const stateDir = mkdtempSync(
    join(process.getuid?.() === 0 ? '/var/tmp' : tmpdir(), 'wikistream-stack-test-'),
  );
  chmodSync(stateDir, 0o755);
  const options = {
    ...stackOptions(),
    stateDir,
    kafkaPort: 19092,
    kafkaControllerPort: 19093,
    kafkaHeap: '256m',
    elasticsearchPort: 19200,
    elasticsearchTransportPort: 19300,
    elasticsearchHeap: '512m',
  };

  afterAll(async () => {
    await stackDown(options);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('starts both engines, reuses them on a second start, and stops every process', async () => {
    const first = await stackUp(options);
    expect(first.started).toEqual({ kafka: true, elasticsearch: true });
    expect(first.kafkaBrokers).toBe('localhost:19092');
    const health = await fetch(`${first.elasticsearchUrl}/_cluster/health`).then((r) => r.json());
    expect(['green', 'yellow']).toContain((health as { status: string }).status);
    expect(processesUsing(stateDir).length).toBeGreaterThanOrEqual(2);

    const second = await stackUp(options);
    expect(second.started).toEqual({ kafka: false, elasticsearch: false });
    expect(stackStatus(options)).toMatchObject({
      kafka: { running: true },
      elasticsearch: { running: true },
    });

    expect(await stackDown(options)).toEqual({ kafka: true, elasticsearch: true });
    expect(await stackDown(options)).toEqual({ kafka: false, elasticsearch: false });
    expect(processesUsing(stateDir)).toEqual([]);
    expect(stackStatus(options)).toMatchObject({
      kafka: { running: false },
      elasticsearch: { running: false },
    });
  }, 300_000);
});
