import { ConfigError, DEFAULTS } from '@wikistream/shared';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.ts';

describe('indexer config', () => {
  it('works with no variable set, using the contract defaults', () => {
    const config = readConfig({});
    expect(config.KAFKA_BROKERS).toEqual([DEFAULTS.kafkaBrokers]);
    expect(config.KAFKA_GROUP_ID).toBe('wikistream-indexer');
    expect(config.ES_INDEX_PREFIX).toBe('wikimedia-recentchange');
    expect(config.RETENTION_DAYS).toBe(7);
    expect(config.METRICS_PORT).toBe(9102);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('accepts METRICS_PORT=0 for an ephemeral port', () => {
    expect(readConfig({ METRICS_PORT: '0' }).METRICS_PORT).toBe(0);
  });

  it('reports every problem at once', () => {
    try {
      readConfig({ RETENTION_DAYS: 'week', ELASTICSEARCH_URL: 'localhost:9200', BULK_CHUNK_SIZE: '0' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).code).toBe('config_invalid');
      expect((error as ConfigError).problems.map((problem) => problem.variable).sort()).toEqual([
        'BULK_CHUNK_SIZE',
        'ELASTICSEARCH_URL',
        'RETENTION_DAYS',
      ]);
    }
  });

  it('refuses a bulk timeout that a rebalance could not wait for', () => {
    expect(() => readConfig({ ES_REQUEST_TIMEOUT_MS: '90000', KAFKA_REBALANCE_TIMEOUT_MS: '60000' })).toThrow(
      ConfigError,
    );
  });
});
