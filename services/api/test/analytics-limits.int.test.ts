import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecentChangeEvent, StatsResponse } from '@wikistream/shared';
import { deleteIndicesWithPrefix, retime, uniqueName, waitFor } from '@wikistream/tools/testing';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { type EsGate, startEsGate } from './support/es-gate.ts';
import { fixtureEventList, seedEvents } from './support/seed.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

const DAY = '2026-03-02';
const at = (time: string) => Date.parse(`${DAY}T${time}Z`);
const iso = (time: string) => `${DAY}T${time}Z`;

/** One event at each of these times: around the window 10:02:30–16:01:10 and its 5-minute grid. */
const TIMES = {
  beforeGrid: '09:59:00',
  gridBeforeFrom: '10:01:00',
  inside: '12:00:00',
  gridAfterTo: '16:03:00',
  afterGrid: '16:06:00',
};

describe('bounded analytics work', () => {
  const prefix = uniqueName('api-bounds');
  const base = fixtureEventList().find((e) => e.type === 'edit') as RecentChangeEvent;
  let gate: EsGate;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    const events = Object.entries(TIMES).map(([name, time]) => retime(base, at(time), `bounds-${name}`));
    await seedEvents(inject('elasticsearchUrl'), prefix, events);
    gate = await startEsGate(inject('elasticsearchUrl'));
  });
  afterEach(async () => {
    gate.release();
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    await gate?.close();
    await deleteIndicesWithPrefix(inject('elasticsearchUrl'), prefix);
  });

  async function start(env: Record<string, string> = {}) {
    const api = await createTestApp({
      prefix,
      elasticsearchUrl: gate.url,
      env: { ES_REQUEST_TIMEOUT_MS: '5000', ...env },
    });
    apps.push(api);
    return api;
  }
  const get = (api: TestApp, url: string) => api.app.inject({ method: 'GET', url });

  describe('the span of /api/stats', () => {
    it('is refused beyond 7 days by default with a 400 that says the limit', async () => {
      const api = await start();
      const now = Date.now();
      const tooLong = await get(
        api,
        `/api/stats?from=${new Date(now - 8 * 86_400_000).toISOString()}&to=${new Date(now).toISOString()}`,
      );
      expect(tooLong.statusCode, tooLong.body).toBe(400);
      expect(tooLong.json()).toMatchObject({ code: 'invalid_parameter', field: 'from' });
      expect(tooLong.json().message).toContain('168 hours');
      const fromOnly = await get(api, `/api/stats?from=${new Date(now - 30 * 86_400_000).toISOString()}`);
      expect(fromOnly.statusCode, fromOnly.body).toBe(400);
      expect(fromOnly.json().field).toBe('from');
      const last = await get(api, '/api/stats?last=8d');
      expect(last.statusCode, last.body).toBe(400);
      expect(last.json()).toMatchObject({ code: 'invalid_parameter', field: 'last' });
      expect(last.json().message).toContain('168 hours');
      const week = await get(api, `/api/stats?from=${iso('00:00:00')}&to=2026-03-09T00:00:00Z`);
      expect(week.statusCode, week.body).toBe(200);
      expect((await get(api, '/api/stats?last=7d')).statusCode).toBe(200);
    });

    it('follows STATS_MAX_RANGE_HOURS', async () => {
      const api = await start({ STATS_MAX_RANGE_HOURS: '2' });
      const over = await get(api, `/api/stats?from=${iso('10:00:00')}&to=${iso('12:00:01')}`);
      expect(over.statusCode, over.body).toBe(400);
      expect(over.json().message).toContain('2 hours');
      expect((await get(api, `/api/stats?from=${iso('10:00:00')}&to=${iso('12:00:00')}`)).statusCode).toBe(
        200,
      );
      expect((await get(api, '/api/stats?last=3h')).statusCode).toBe(400);
      expect((await get(api, '/api/stats?last=2h')).statusCode).toBe(200);
    });
  });

  describe('the cache of /api/stats', () => {
    it('answers ranges that differ by less than a bucket from one entry, computed for the aligned window it names', async () => {
      const api = await start();
      const first = await get(api, `/api/stats?from=${iso('10:02:30')}&to=${iso('16:01:10')}`);
      expect(first.statusCode, first.body).toBe(200);
      const stats = first.json() as StatsResponse;
      // Six hours fit 5-minute buckets: the window used is 10:00–16:05, and the answer says so.
      expect(stats.range).toEqual({
        from: '2026-03-02T10:00:00.000Z',
        to: '2026-03-02T16:05:00.000Z',
        interval: '5m',
      });
      expect(stats.totals.events).toBe(3);
      expect(stats.previous.events).toBe(1);
      expect(stats.series[0]?.t).toBe('2026-03-02T10:00:00.000Z');
      expect(stats.series).toHaveLength(73);
      expect(stats.series.reduce((sum, p) => sum + p.bot + p.human + p.anonymous, 0)).toBe(3);

      const asked = gate.requests();
      const second = await get(api, `/api/stats?from=${iso('10:04:59.999')}&to=${iso('16:00:00.001')}`);
      expect(second.statusCode).toBe(200);
      expect(second.json()).toEqual(stats);
      expect(gate.requests(), 'the second range asked Elasticsearch again').toBe(asked);

      const elsewhere = await get(api, `/api/stats?from=${iso('09:59:59')}&to=${iso('16:01:10')}`);
      expect(elsewhere.json().range.from).toBe('2026-03-02T09:55:00.000Z');
      expect(gate.requests()).toBeGreaterThan(asked);
    });

    it('answers trending requests within one minute from one entry, naming the minute it used', async () => {
      const api = await start();
      const first = await get(api, `/api/trending?from=${iso('08:30:10')}&to=${iso('12:00:20')}`);
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toMatchObject({
        window: { from: '2026-03-02T11:46:00.000Z', to: '2026-03-02T12:01:00.000Z' },
        baseline: { from: '2026-03-02T08:46:00.000Z', to: '2026-03-02T11:46:00.000Z' },
      });
      const asked = gate.requests();
      const second = await get(api, `/api/trending?from=${iso('08:30:59')}&to=${iso('12:00:59.999')}`);
      expect(second.json()).toEqual(first.json());
      expect(gate.requests(), 'the second request asked Elasticsearch again').toBe(asked);
    });
  });

  describe('work in flight', () => {
    it('answers queries beyond QUERY_MAX_IN_FLIGHT with 503 and Retry-After, and serves again once they finish', async () => {
      const api = await start({ QUERY_MAX_IN_FLIGHT: '2' });
      gate.hold();
      const before = gate.requests();
      const running = [get(api, '/api/events?q=alpha'), get(api, '/api/events?q=beta')];
      await waitFor(() => gate.requests() >= before + 2, { timeoutMs: 5_000 });
      for (const url of [
        `/api/stats?from=${iso('10:00:00')}&to=${iso('11:00:00')}`,
        '/api/trending',
        '/api/events',
        '/api/pipeline',
      ]) {
        const refused = await get(api, url);
        expect(refused.statusCode, `${url}: ${refused.body}`).toBe(503);
        expect(refused.json()).toEqual({ code: 'too_many_queries', message: expect.any(String) });
        expect(refused.headers['retry-after'], url).toMatch(/^[1-9][0-9]*$/);
      }
      gate.release();
      for (const response of await Promise.all(running)) expect(response.statusCode, response.body).toBe(200);
      expect((await get(api, '/api/events')).statusCode).toBe(200);
    });

    it('answers exports beyond EXPORT_MAX_IN_FLIGHT with 503 and Retry-After, and frees the slot when one ends', async () => {
      const api = await start({ EXPORT_MAX_IN_FLIGHT: '1' });
      gate.hold();
      const before = gate.requests();
      const running = get(api, '/api/events?format=ndjson');
      await waitFor(() => gate.requests() >= before + 1, { timeoutMs: 5_000 });
      const refused = await get(api, '/api/events?format=csv');
      expect(refused.statusCode, refused.body).toBe(503);
      expect(refused.json()).toEqual({ code: 'too_many_exports', message: expect.any(String) });
      expect(refused.headers['retry-after']).toMatch(/^[1-9][0-9]*$/);
      gate.release();
      const done = await running;
      expect(done.statusCode).toBe(200);
      expect(done.body.trim().split('\n')).toHaveLength(Object.keys(TIMES).length);
      expect((await get(api, '/api/events?format=csv')).statusCode).toBe(200);
    });

    it('gives an export slot back when its client goes away', async () => {
      const api = await start({ EXPORT_MAX_IN_FLIGHT: '1' });
      await api.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = api.app.server.address() as AddressInfo;
      gate.hold();
      const before = gate.requests();
      const abandoned = request(`http://127.0.0.1:${port}/api/events?format=ndjson`);
      abandoned.on('error', () => undefined);
      abandoned.end();
      await waitFor(() => gate.requests() >= before + 1, { timeoutMs: 5_000 });
      abandoned.destroy();
      gate.release();
      await waitFor(async () => (await get(api, '/api/events?format=csv')).statusCode === 200, {
        timeoutMs: 10_000,
      });
    });
  });
});
