import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiError } from '@wikistream/shared';
import { startTcpProxy, uniqueName, waitFor } from '@wikistream/tools/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { STRICT_CSP } from '../src/http/security.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

const STRICT =
  "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;connect-src 'self';font-src 'self';object-src 'none';base-uri 'self';form-action 'self';frame-ancestors 'none'";

describe('request validation on every route', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await createTestApp({ prefix: uniqueName('api-empty') });
  });
  afterAll(() => api?.close());

  const expect400 = async (url: string, field: string) => {
    const response = await api.app.inject({ method: 'GET', url });
    expect(response.statusCode, `${url}: ${response.body}`).toBe(400);
    const body = response.json() as ApiError;
    expect(body.code).toBe('invalid_parameter');
    expect(body.field).toBe(field);
    expect(body.message).toContain(field);
    return body;
  };

  it('rejects a page size above 100, and sizes that are not whole numbers', async () => {
    expect((await expect400('/api/events?size=10000', 'size')).message).toBe('size must be <= 100');
    await expect400('/api/events?size=abc', 'size');
    await expect400('/api/events?size=1.5', 'size');
    await expect400('/api/events?size=0', 'size');
    await expect400('/api/events?size=1e999', 'size');
    await expect400('/api/stats?top=1e999', 'top');
  });

  it('rejects a from that is not before to, and dates that are not ISO 8601', async () => {
    const body = await expect400('/api/events?from=2026-02-02T00:00:00Z&to=2026-02-01T00:00:00Z', 'from');
    expect(body.message).toBe('from must be before to');
    await expect400('/api/stats?from=yesterday', 'from');
    await expect400('/api/stats?to=2026-13-01T00:00:00Z', 'to');
    await expect400('/api/trending?from=2026-02-01', 'from');
  });

  it('rejects unknown event types, naming the accepted ones', async () => {
    const body = await expect400('/api/events?type=edit,rename', 'type');
    expect(body.message).toContain('edit, new, log, categorize, external');
    await expect400('/api/stats?type=', 'type');
  });

  it('rejects malformed booleans, wikis and namespaces', async () => {
    await expect400('/api/events?bot=maybe', 'bot');
    await expect400('/api/events?anonymous=2', 'anonymous');
    await expect400('/api/stats?wiki=en wiki', 'wiki');
    await expect400('/api/stats?namespace=main', 'namespace');
    await expect400('/api/events?namespace=99999999999', 'namespace');
    await expect400(`/api/events?wiki=${Array.from({ length: 51 }, (_, i) => `w${i}`).join(',')}`, 'wiki');
  });

  it('rejects forged cursors and over-long queries', async () => {
    await expect400('/api/events?cursor=not-a-cursor', 'cursor');
    await expect400(`/api/events?cursor=${Buffer.from('{"a":1}').toString('base64url')}`, 'cursor');
    await expect400(`/api/events?cursor=${Buffer.from('[1e400,"x"]').toString('base64url')}`, 'cursor');
    await expect400(`/api/events?q=${'a'.repeat(201)}`, 'q');
    await expect400('/api/events?format=xml', 'format');
  });

  it('answers hostile search strings with results, never an error', async () => {
    const hostile = [
      '*',
      '"unterminated',
      'a~2',
      'foo*',
      '(((',
      '\\',
      'title:x OR _exists_:y',
      '/.*/',
      '|||',
      '-',
      'a AND (b OR',
      '\u0000',
      '😀 ☃',
      '{"query":1}',
      '<script>alert(1)</script>',
    ];
    for (const q of hostile) {
      const response = await api.app.inject({ method: 'GET', url: `/api/events?q=${encodeURIComponent(q)}` });
      expect(response.statusCode, q).toBe(200);
    }
  });

  it('rejects out-of-range list sizes on stats, trending and the DLQ', async () => {
    await expect400('/api/stats?top=0', 'top');
    await expect400('/api/trending?limit=1000', 'limit');
    await expect400('/api/live?type=nope', 'type');
    await expect400('/api/stats?last=24x', 'last');
    await expect400('/api/stats?last=24h&from=2026-01-01T00:00:00Z', 'last');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/api/nothing-here?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ code: 'not_found', message: 'No route for GET /api/nothing-here' });
  });
});

describe('routes on an empty store', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await createTestApp({
      prefix: uniqueName('api-empty'),
      topic: uniqueName('api-missing'),
      startFeed: true,
    });
  });
  afterAll(() => api?.close());

  it('reports health without asking any dependency', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', version: '0.0.0-test' });
  });

  it('is ready when Elasticsearch and Kafka answer', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/api/ready' });
    expect(response.json()).toEqual({ ready: true, elasticsearch: 'up', kafka: 'up' });
  });

  it('answers stats and trending with empty results for an empty store', async () => {
    const stats = await api.app.inject({ method: 'GET', url: '/api/stats' });
    expect(stats.statusCode).toBe(200);
    expect(stats.json().totals.events).toBe(0);
    // One bucket a minute; the first starts on the whole minute before `from`.
    expect(stats.json().series.length).toBeGreaterThanOrEqual(60);
    expect(stats.json().series.length).toBeLessThanOrEqual(61);
    const trending = await api.app.inject({ method: 'GET', url: '/api/trending' });
    expect(trending.json()).toMatchObject({ pages: [], wikis: [] });
  });

  it('names what it cannot read in the pipeline view instead of failing', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/api/pipeline' });
    expect(response.statusCode).toBe(200);
    expect(response.json().unavailable).toEqual(expect.arrayContaining(['lag', 'deadLetters', 'gaps']));
  });

  it('refuses the live feed with 503 while its topic does not exist', async () => {
    await waitFor(() => api.feed.state() === 'waiting', { timeoutMs: 10_000 });
    const response = await api.app.inject({ method: 'GET', url: '/api/live' });
    expect(response.statusCode).toBe(503);
    expect(response.json().code).toBe('live_feed_unavailable');
  });

  it('keeps the dead-letter routes off without an admin token', async () => {
    for (const request of [
      { method: 'GET' as const, url: '/api/dlq' },
      { method: 'POST' as const, url: '/api/dlq/redrive', payload: {} },
    ]) {
      const response = await api.app.inject(request);
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('admin_disabled');
    }
  });

  it('sets the strict content security policy and no CORS header', async () => {
    const response = await api.app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { origin: 'https://elsewhere.example' },
    });
    expect(response.headers['content-security-policy']).toBe(STRICT);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(Object.keys(STRICT_CSP)).toHaveLength(10);
  });

  it('gives the API docs their own policy and keeps scripts same-origin', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/docs/' });
    expect(response.statusCode).toBe(200);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe-eval');
    expect(response.body).not.toMatch(/<script>(?!\s*<\/script>)/);
  });

  it('says how to build the dashboard when it is not built', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'dashboard_not_built' });
    expect(response.json().message).toContain('pnpm build:web');
  });

  it('compresses large answers', async () => {
    const response = await api.app.inject({
      method: 'GET',
      url: '/openapi.json',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.headers['content-encoding']).toBe('gzip');
  });
});

describe('admin, CORS, rate limit and the dashboard', () => {
  it('guards the dead-letter routes with the bearer token', async () => {
    const api = await createTestApp({ env: { ADMIN_TOKEN: 's3cret-token-abcdefghijklmnopqrstuvwxyz' } });
    try {
      const none = await api.app.inject({ method: 'GET', url: '/api/dlq' });
      expect(none.statusCode).toBe(401);
      expect(none.json().code).toBe('unauthorized');
      const wrong = await api.app.inject({
        method: 'GET',
        url: '/api/dlq',
        headers: { authorization: 'Bearer nope' },
      });
      expect(wrong.statusCode).toBe(401);
      const right = await api.app.inject({
        method: 'GET',
        url: '/api/dlq',
        headers: { authorization: 'Bearer s3cret-token-abcdefghijklmnopqrstuvwxyz' },
      });
      expect(right.statusCode).toBe(200);
      expect(right.json()).toEqual({ total: 0, byReason: [], entries: [] });
      const badBody = await api.app.inject({
        method: 'POST',
        url: '/api/dlq/redrive',
        headers: { authorization: 'Bearer s3cret-token-abcdefghijklmnopqrstuvwxyz' },
        payload: { limit: 100_000 },
      });
      expect(badBody.statusCode).toBe(400);
      expect(badBody.json().field).toBe('limit');
    } finally {
      await api.close();
    }
  });

  it('sends CORS headers only for the configured origin', async () => {
    const api = await createTestApp({ env: { CORS_ORIGIN: 'https://dash.example' } });
    try {
      const response = await api.app.inject({
        method: 'GET',
        url: '/api/health',
        headers: { origin: 'https://dash.example' },
      });
      expect(response.headers['access-control-allow-origin']).toBe('https://dash.example');
    } finally {
      await api.close();
    }
  });

  it('limits the request rate per client with a JSON 429', async () => {
    const api = await createTestApp({ env: { RATE_LIMIT_MAX: '3' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1)
        statuses.push((await api.app.inject({ method: 'GET', url: '/api/health' })).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await api.app.inject({ method: 'GET', url: '/api/health' });
      expect(limited.json().code).toBe('rate_limited');
    } finally {
      await api.close();
    }
  });

  it('limits a client behind a trusted proxy by the address the proxy saw, however it rotates X-Forwarded-For', async () => {
    const api = await createTestApp({ env: { RATE_LIMIT_MAX: '3', TRUST_PROXY: '127.0.0.1,10.0.0.0/8' } });
    try {
      const viaProxy = (claimed: string, client: string) =>
        api.app.inject({
          method: 'GET',
          url: '/api/health',
          remoteAddress: '10.1.2.3',
          // The proxy appends the address it saw; what the client wrote comes before it.
          headers: { 'x-forwarded-for': `${claimed}, ${client}` },
        });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1)
        statuses.push((await viaProxy(`198.51.100.${i}`, '203.0.113.9')).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
      // Another client behind the same proxy still has its own allowance.
      expect((await viaProxy('198.51.100.1', '203.0.113.10')).statusCode).toBe(200);
    } finally {
      await api.close();
    }
  });

  it('ignores X-Forwarded-For from a client that is not a trusted proxy', async () => {
    const api = await createTestApp({ env: { RATE_LIMIT_MAX: '3', TRUST_PROXY: '10.0.0.0/8' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const response = await api.app.inject({
          method: 'GET',
          url: '/api/health',
          remoteAddress: '192.0.2.44',
          headers: { 'x-forwarded-for': `10.0.0.${i}, 203.0.113.${i}` },
        });
        statuses.push(response.statusCode);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await api.close();
    }
  });

  it('serves the built dashboard at / under the strict policy', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'api-dist-'));
    writeFileSync(
      join(dist, 'index.html'),
      '<!doctype html><title>wikistream</title><script src="/app.js"></script>',
    );
    const api = await createTestApp({ env: { WEB_DIST_DIR: dist } });
    try {
      const response = await api.app.inject({ method: 'GET', url: '/' });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('<title>wikistream</title>');
      expect(response.headers['content-security-policy']).toBe(STRICT);
      const missing = await api.app.inject({ method: 'GET', url: '/nothing.js' });
      expect(missing.statusCode).toBe(404);
    } finally {
      await api.close();
      rmSync(dist, { recursive: true, force: true });
    }
  });
});

describe('when Elasticsearch is unreachable', () => {
  it('answers 503 with a code and no internals, and says so in /api/ready', async () => {
    const target = new URL(inject('elasticsearchUrl'));
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
    const api = await createTestApp({ elasticsearchUrl: proxy.url, env: { ES_REQUEST_TIMEOUT_MS: '2000' } });
    try {
      await proxy.cut();
      for (const url of ['/api/events', '/api/stats', '/api/trending', '/api/events?format=csv']) {
        const response = await api.app.inject({ method: 'GET', url });
        expect(response.statusCode, url).toBe(503);
        expect(response.json()).toEqual({
          code: 'elasticsearch_unavailable',
          message: 'Elasticsearch is unavailable; try again shortly',
        });
      }
      const ready = await api.app.inject({ method: 'GET', url: '/api/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ ready: false, elasticsearch: 'down' });
      const pipeline = await api.app.inject({ method: 'GET', url: '/api/pipeline' });
      expect(pipeline.statusCode).toBe(200);
      expect(pipeline.json().unavailable).toEqual(expect.arrayContaining(['freshness', 'latency']));
      await proxy.restore();
      const back = await api.app.inject({ method: 'GET', url: '/api/events' });
      expect(back.statusCode).toBe(200);
    } finally {
      await api.close();
    }
  });
});
