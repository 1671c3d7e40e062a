import { type ConfigError, ErrorCode, isWikistreamError } from '@wikistream/shared';
import { describe, expect, it } from 'vitest';
import { loadApiConfig } from '../../src/config.ts';

/** The problems a configuration is refused for, by variable. */
function problems(env: Record<string, string>): Record<string, string> {
  try {
    loadApiConfig(env);
  } catch (error) {
    expect(isWikistreamError(error, ErrorCode.ConfigInvalid)).toBe(true);
    return Object.fromEntries((error as ConfigError).problems.map((p) => [p.variable, p.message]));
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

const TOKEN = 'a'.repeat(32);

describe('TRUST_PROXY', () => {
  it('trusts no proxy by default, when empty or false', () => {
    expect(loadApiConfig({}).TRUST_PROXY).toBe(false);
    expect(loadApiConfig({ TRUST_PROXY: '' }).TRUST_PROXY).toBe(false);
    expect(loadApiConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
  });

  it('takes the proxies as addresses, CIDR ranges and named ranges', () => {
    expect(loadApiConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1,fd00::/8,loopback' }).TRUST_PROXY).toEqual(
      ['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8', 'loopback'],
    );
  });

  it('refuses true, which would let any client choose its own address, and says what to write instead', () => {
    for (const value of ['true', 'TRUE', 'yes', 'on']) {
      const message = problems({ TRUST_PROXY: value }).TRUST_PROXY;
      expect(message, value).toContain('every');
      expect(message, value).toContain('TRUST_PROXY=10.0.0.0/8');
    }
  });

  it('refuses a hop count, which cannot tell a proxy from a client that connects directly', () => {
    const message = problems({ TRUST_PROXY: '1' }).TRUST_PROXY;
    expect(message).toContain('hop count');
    expect(message).toContain('TRUST_PROXY=10.0.0.0/8');
    expect(problems({ TRUST_PROXY: '2' }).TRUST_PROXY).toContain('hop count');
  });

  it('names the entries that are neither an address nor a range', () => {
    expect(problems({ TRUST_PROXY: '127.0.0.1,300.1.1.1' }).TRUST_PROXY).toContain('"300.1.1.1"');
    expect(problems({ TRUST_PROXY: '10.0.0.0/33' }).TRUST_PROXY).toContain('"10.0.0.0/33"');
    expect(problems({ TRUST_PROXY: 'proxy.internal' }).TRUST_PROXY).toContain('"proxy.internal"');
    expect(problems({ TRUST_PROXY: ' , ' }).TRUST_PROXY).toBeDefined();
  });
});

describe('ADMIN_TOKEN', () => {
  it('keeps the admin routes off when unset or empty (compose passes empty strings)', () => {
    expect(loadApiConfig({}).ADMIN_TOKEN).toBeUndefined();
    expect(loadApiConfig({ ADMIN_TOKEN: '' }).ADMIN_TOKEN).toBeUndefined();
  });

  it('accepts a token of at least 32 characters', () => {
    expect(loadApiConfig({ ADMIN_TOKEN: TOKEN }).ADMIN_TOKEN).toBe(TOKEN);
  });

  it('refuses a short token, saying how to make one, without repeating it', () => {
    const message = problems({ ADMIN_TOKEN: 's3cret-token' }).ADMIN_TOKEN ?? '';
    expect(message).toContain('at least 32 characters');
    expect(message).toContain('openssl rand -hex 32');
    expect(message).not.toContain('s3cret-token');
    expect(problems({ ADMIN_TOKEN: 'a'.repeat(31) }).ADMIN_TOKEN).toContain('at least 32 characters');
  });

  it('refuses a blank token and one wrapped in spaces', () => {
    expect(problems({ ADMIN_TOKEN: '   ' }).ADMIN_TOKEN).toContain('blank');
    expect(problems({ ADMIN_TOKEN: ` ${TOKEN} ` }).ADMIN_TOKEN).toContain('space');
  });

  it('is reported together with every other problem', () => {
    expect(Object.keys(problems({ ADMIN_TOKEN: 'short', TRUST_PROXY: 'true', PORT: 'x' })).sort()).toEqual([
      'ADMIN_TOKEN',
      'PORT',
      'TRUST_PROXY',
    ]);
  });
});

describe('the limits', () => {
  it('have defaults: a 7-day stats range, bounded work in flight, per-address and per-stream live bounds', () => {
    const config = loadApiConfig({});
    expect({
      STATS_MAX_RANGE_HOURS: config.STATS_MAX_RANGE_HOURS,
      QUERY_MAX_IN_FLIGHT: config.QUERY_MAX_IN_FLIGHT,
      EXPORT_MAX_IN_FLIGHT: config.EXPORT_MAX_IN_FLIGHT,
      LIVE_MAX_CLIENTS_PER_ADDRESS: config.LIVE_MAX_CLIENTS_PER_ADDRESS,
      LIVE_BLOCKED_TIMEOUT_MS: config.LIVE_BLOCKED_TIMEOUT_MS,
      LIVE_MAX_STREAM_MS: config.LIVE_MAX_STREAM_MS,
    }).toEqual({
      STATS_MAX_RANGE_HOURS: 168,
      QUERY_MAX_IN_FLIGHT: 8,
      EXPORT_MAX_IN_FLIGHT: 2,
      LIVE_MAX_CLIENTS_PER_ADDRESS: 10,
      LIVE_BLOCKED_TIMEOUT_MS: 30_000,
      LIVE_MAX_STREAM_MS: 900_000,
    });
  });

  it('refuse values that would switch a bound off', () => {
    expect(Object.keys(problems({ QUERY_MAX_IN_FLIGHT: '0', LIVE_MAX_STREAM_MS: '10' })).sort()).toEqual([
      'LIVE_MAX_STREAM_MS',
      'QUERY_MAX_IN_FLIGHT',
    ]);
  });
});
