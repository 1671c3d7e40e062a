import { describe, expect, it } from 'vitest';
import {
  boolean,
  ConfigError,
  describeConfig,
  ErrorCode,
  integer,
  list,
  loadConfig,
  oneOf,
  optionalString,
  port,
  string,
  url,
} from '../src/index.ts';

const schema = {
  KAFKA_BROKERS: list({ default: ['localhost:9092'] }),
  PORT: port({ default: 3000 }),
  BATCH_SIZE: integer({ default: 500, min: 1, max: 10_000 }),
  LOG_LEVEL: oneOf(['info', 'debug'] as const, { default: 'info' }),
  VERBOSE: boolean({ default: false }),
  ELASTICSEARCH_URL: url({ default: 'http://localhost:9200' }),
  ADMIN_TOKEN: optionalString(),
  USER_AGENT: string({ description: 'who we are' }),
};

describe('loadConfig', () => {
  it('applies defaults and parses every kind of value', () => {
    const config = loadConfig(schema, {
      KAFKA_BROKERS: 'a:1, b:2',
      PORT: '8080',
      VERBOSE: 'yes',
      USER_AGENT: 'wikistream-test/1',
    });
    expect(config).toEqual({
      KAFKA_BROKERS: ['a:1', 'b:2'],
      PORT: 8080,
      BATCH_SIZE: 500,
      LOG_LEVEL: 'info',
      VERBOSE: true,
      ELASTICSEARCH_URL: 'http://localhost:9200',
      ADMIN_TOKEN: undefined,
      USER_AGENT: 'wikistream-test/1',
    });
  });

  it('returns a frozen object', () => {
    const config = loadConfig(schema, { USER_AGENT: 'x' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.KAFKA_BROKERS)).toBe(true);
  });

  it('reports every problem at once, naming each variable', () => {
    let caught: unknown;
    try {
      loadConfig(schema, {
        PORT: '70000',
        BATCH_SIZE: 'many',
        LOG_LEVEL: 'loud',
        VERBOSE: 'perhaps',
        ELASTICSEARCH_URL: 'ftp://x',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.code).toBe(ErrorCode.ConfigInvalid);
    expect(error.problems.map((p) => p.variable).sort()).toEqual(
      ['BATCH_SIZE', 'ELASTICSEARCH_URL', 'LOG_LEVEL', 'PORT', 'USER_AGENT', 'VERBOSE'].sort(),
    );
    expect(error.message).toContain('PORT: must be between 0 and 65535');
    expect(error.message).toContain('USER_AGENT: is required');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(schema, { PORT: '', USER_AGENT: 'x' }).PORT).toBe(3000);
  });

  it('enforces integer bounds', () => {
    expect(() => loadConfig(schema, { BATCH_SIZE: '0', USER_AGENT: 'x' })).toThrow(
      /BATCH_SIZE: must be between 1/,
    );
  });

  it('describes the variables it knows, for documentation and compose checks', () => {
    const described = describeConfig(schema);
    expect(described.map((d) => d.variable)).toEqual(Object.keys(schema));
    expect(described.find((d) => d.variable === 'USER_AGENT')).toEqual({
      variable: 'USER_AGENT',
      required: true,
      description: 'who we are',
    });
    expect(described.find((d) => d.variable === 'PORT')).toMatchObject({ required: false, default: '3000' });
    expect(described.find((d) => d.variable === 'KAFKA_BROKERS')?.default).toBe('localhost:9092');
    expect(described.find((d) => d.variable === 'ADMIN_TOKEN')).not.toHaveProperty('default');
  });
});
