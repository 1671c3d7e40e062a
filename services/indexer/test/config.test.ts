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

  it('accepts meta.dt from RETENTION_DAYS ago to one day ahead unless told otherwise', () => {
    expect(readConfig({}).EVENT_TIME_MAX_AGE_DAYS).toBe(7);
    expect(readConfig({}).EVENT_TIME_MAX_SKEW_MS).toBe(86_400_000);
    expect(readConfig({ RETENTION_DAYS: '30' }).EVENT_TIME_MAX_AGE_DAYS).toBe(30);
    const wide = readConfig({
      RETENTION_DAYS: '30',
      EVENT_TIME_MAX_AGE_DAYS: '3650',
      EVENT_TIME_MAX_SKEW_MS: '0',
    });
    expect(wide.EVENT_TIME_MAX_AGE_DAYS).toBe(3650);
    expect(wide.EVENT_TIME_MAX_SKEW_MS).toBe(0);
    expect(Object.isFrozen(wide)).toBe(true);
    expect(() => readConfig({ EVENT_TIME_MAX_AGE_DAYS: '0' })).toThrow(ConfigError);
    expect(() => readConfig({ EVENT_TIME_MAX_SKEW_MS: '-1' })).toThrow(ConfigError);
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
