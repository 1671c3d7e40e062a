import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConfigError, DEFAULTS } from '@wikistream/shared';
import { describe, expect, it } from 'vitest';
import { loadProducerConfig, producerSchema } from '../src/config.ts';
import { PRODUCER_VERSION } from '../src/version.ts';

describe('the producer configuration', () => {
  it('works with no variables set, using the documented defaults', () => {
    const config = loadProducerConfig({});
    expect(config).toMatchObject({
      KAFKA_BROKERS: [DEFAULTS.kafkaBrokers],
      KAFKA_TOPIC: 'wikimedia.recentchange',
      EVENTSTREAMS_URL: 'https://stream.wikimedia.org/v2/stream/recentchange',
      USER_AGENT: `wikistream/${PRODUCER_VERSION} (https://github.com/wikistream/wikistream)`,
      METRICS_PORT: 9101,
      STALL_TIMEOUT_MS: 60_000,
      KAFKA_PARTITIONS: 6,
      SINCE: undefined,
    });
  });

  it('reads SINCE as an ISO time or as milliseconds', () => {
    expect(loadProducerConfig({ SINCE: '2024-02-06T16:58:00Z' }).SINCE).toBe(
      Date.parse('2024-02-06T16:58:00Z'),
    );
    expect(loadProducerConfig({ SINCE: '1707238680000' }).SINCE).toBe(1707238680000);
  });

  it('reports every invalid variable at once', () => {
    try {
      loadProducerConfig({ SINCE: 'last tuesday', BATCH_SIZE: '0', EVENTSTREAMS_URL: 'ftp://x' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
        'BATCH_SIZE',
        'EVENTSTREAMS_URL',
        'SINCE',
      ]);
    }
  });

  it('describes its variables with --describe-config without connecting to anything', () => {
    const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
    const result = spawnSync(process.execPath, [main, '--describe-config'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', KAFKA_BROKERS: '192.0.2.1:1' },
      timeout: 20_000,
    });
    expect(result.status).toBe(0);
    const described = JSON.parse(result.stdout) as { variable: string }[];
    expect(described.map((d) => d.variable)).toEqual(Object.keys(producerSchema));
  });
});
