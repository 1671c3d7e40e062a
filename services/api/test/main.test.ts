import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { uniqueName } from '@wikistream/tools/testing';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** Runs the api as a process; a process that does not exit within the deadline is killed and reported. */
function run(env: Record<string, string>, deadlineMs = 15_000) {
  return new Promise<{ code: number | null; stderr: string; exited: boolean }>((resolve) => {
    const name = uniqueName('api-main');
    const child = spawn(process.execPath, ['--disable-warning=TimeoutNegativeWarning', MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        // Were it to start after all, it would touch nothing of anyone else's.
        PORT: '0',
        HOST: '127.0.0.1',
        ROLLUPS: 'false',
        ES_INDEX_PREFIX: name,
        KAFKA_TOPIC: name,
        LOG_LEVEL: 'silent',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, stderr, exited: signal === null });
    });
  });
}

describe('the api process', () => {
  it('refuses to start with an admin token shorter than 32 characters, exiting non-zero with the reason', async () => {
    const result = await run({ ADMIN_TOKEN: 'changeme' });
    expect(result.exited, 'the process kept running').toBe(true);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('ADMIN_TOKEN');
    expect(result.stderr).toContain('at least 32 characters');
    expect(result.stderr).not.toContain('changeme');
  });

  it('refuses to start with a blank admin token and with TRUST_PROXY=true, naming both', async () => {
    const result = await run({ ADMIN_TOKEN: '    ', TRUST_PROXY: 'true' });
    expect(result.exited, 'the process kept running').toBe(true);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/ADMIN_TOKEN: .*blank/);
    expect(result.stderr).toMatch(/TRUST_PROXY: .*TRUST_PROXY=10\.0\.0\.0\/8/);
  });
});
