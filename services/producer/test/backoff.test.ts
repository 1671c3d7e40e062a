import { describe, expect, it } from 'vitest';
import { causeOfStatus, reconnectDelay } from '../src/backoff.ts';

const settings = { baseMs: 1000, maxMs: 60_000 };

describe('reconnect back-off', () => {
  it('doubles with each attempt up to the cap, with jitter between half and all of it', () => {
    expect([1, 2, 3, 4].map((n) => reconnectDelay('network', n, settings, () => 0))).toEqual([
      500, 1000, 2000, 4000,
    ]);
    expect([1, 2, 3].map((n) => reconnectDelay('network', n, settings, () => 0.999999))).toEqual([
      1000, 2000, 4000,
    ]);
    expect(reconnectDelay('end', 20, settings, () => 0.999999)).toBe(60_000);
  });

  it('backs off longer on 429 than on a dropped connection', () => {
    expect(reconnectDelay('http_429', 1, settings, () => 0)).toBe(2000);
    expect(reconnectDelay('http_429', 1, settings, () => 0)).toBeGreaterThan(
      reconnectDelay('end', 1, settings, () => 0),
    );
  });

  it('retries a 403 slowly from the first attempt', () => {
    expect(reconnectDelay('http_403', 1, settings, () => 0)).toBe(30_000);
  });

  it('maps statuses to causes', () => {
    expect([403, 429, 400, 404, 500, 503].map(causeOfStatus)).toEqual([
      'http_403',
      'http_429',
      'http_4xx',
      'http_4xx',
      'http_5xx',
      'http_5xx',
    ]);
  });
});
