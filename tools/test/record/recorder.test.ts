import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { record, rewindOneMillisecond } from '../../src/record/recorder.ts';
import { type ReplayOptions, type ReplayServer, startReplayServer } from '../../src/replay/server.ts';
import { fixtureFiles, REPO_ROOT } from '../../src/testing/fixtures.ts';
import { readStream } from '../replay/sse-client.ts';

const files = fixtureFiles().filter((file) => /dataplumbhub|lakehouse/.test(file));
const servers: ReplayServer[] = [];
const dirs: string[] = [];

async function replay(options: Partial<ReplayOptions>): Promise<ReplayServer> {
  const server = await startReplayServer({ files, pacing: { kind: 'rate', perSecond: 1000 }, ...options });
  servers.push(server);
  return server;
}

function tempFile(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'wikistream-record-'));
  dirs.push(dir);
  return join(dir, name);
}

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '');

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the recorder', () => {
  it('writes each event exactly as served, without canaries, and stops after --max-events', async () => {
    const server = await replay({ loops: 1, inject: { canaryEvery: 10 } });
    const out = tempFile('capture.ndjson');
    const result = await record({ out, url: server.url, since: String(Date.now() - 60_000), maxEvents: 120 });
    const written = lines(out);
    expect(result.events).toBe(120);
    expect(written).toHaveLength(120);
    expect(written.map((line) => JSON.parse(line).meta.id)).toEqual(server.log.validIds().slice(0, 120));
    expect(written.some((line) => line.includes('"domain":"canary"'))).toBe(false);
    expect(result.canaries).toBeGreaterThan(0);
  });

  it('resumes after dropped connections without losing or repeating an event', async () => {
    // Three events a millisecond and a drop every 25: a resume that skipped the rest of a millisecond would show.
    const server = await replay({ loops: 1, dropEvery: 25, pacing: { kind: 'rate', perSecond: 3000 } });
    const out = tempFile('drops.ndjson');
    const result = await record({
      out,
      url: server.url,
      since: String(Date.now() - 60_000),
      maxEvents: server.sourceSize,
    });
    expect(result.reconnects).toBeGreaterThan(3);
    expect(lines(out).map((line) => JSON.parse(line).meta.id)).toEqual(server.log.validIds());
  });

  it('produces a file the replay server serves again, with the same events', async () => {
    const live = await replay({ loops: 1 });
    const out = tempFile('again.ndjson');
    await record({ out, url: live.url, since: String(Date.now() - 60_000), maxEvents: 50 });
    const again = await startReplayServer({ files: [out], pacing: { kind: 'max' } });
    servers.push(again);
    const stream = await readStream(again.url, { frames: 50 });
    const served = stream.frames.map((frame) => JSON.parse(frame.data[0] as string).meta.id);
    expect(served).toEqual(lines(out).map((line) => JSON.parse(line).meta.id));
  });

  it('runs as pnpm record with a progress line', async () => {
    const server = await replay({ loops: 0 });
    const out = tempFile('cli.ndjson');
    const cli = join(REPO_ROOT, 'tools', 'src', 'record', 'cli.ts');
    // Asynchronously: the replay server runs in this process and must keep serving.
    const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [cli, '--', '--out', out, '--url', server.url, '--max-events', '30'],
        { timeout: 30_000 },
        (error, stdout, stderr) => resolve({ status: error ? (error.code as number) : 0, stdout, stderr }),
      );
    });
    expect(result.status).toBe(0);
    expect(String(result.stderr)).toContain('[record] 30 events written');
    expect(String(result.stdout)).toContain('--last-event-id');
    expect(lines(out)).toHaveLength(30);
  });

  it('rewinds a resume id by one millisecond', () => {
    expect(
      rewindOneMillisecond(
        '[{"topic":"a","partition":0,"timestamp":100},{"topic":"b","partition":0,"offset":-1}]',
      ),
    ).toBe('[{"topic":"a","partition":0,"timestamp":99},{"topic":"b","partition":0,"offset":-1}]');
  });
});
