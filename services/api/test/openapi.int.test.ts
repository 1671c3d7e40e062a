import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Validator } from '@seriousme/openapi-schema-validator';
import { deleteIndicesWithPrefix, uniqueName, waitFor } from '@wikistream/tools/testing';
import fc from 'fast-check';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fixtureEventList, seedEvents } from './support/seed.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

type Json = Record<string, unknown>;
interface Parameter {
  name: string;
  in: string;
  schema: Json;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Json }> };
  responses: Record<string, { content?: Record<string, { schema: Json }>; headers?: Record<string, Json> }>;
}

/** Inlines `#/components/schemas/...` references so a schema validates on its own. */
function deref(value: unknown, doc: Json): unknown {
  if (Array.isArray(value)) return value.map((item) => deref(item, doc));
  if (value === null || typeof value !== 'object') return value;
  const ref = (value as Json).$ref;
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/schemas/', '');
    return deref(((doc.components as Json).schemas as Json)[name], doc);
  }
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, deref(inner, doc)]));
}

function documentedSchema(operation: Operation, status: number, contentType: string): Json | undefined {
  const response = operation.responses[String(status)] ?? operation.responses[`${String(status)[0]}XX`];
  if (!response) return undefined;
  const type = contentType.split(';')[0] ?? '';
  return response.content?.[type]?.schema ?? { description: 'no content' };
}

describe('the OpenAPI document', () => {
  const prefix = uniqueName('api-openapi');
  let api: TestApp;
  let doc: Json;
  const token = 'fuzz-token-0123456789abcdef0123456789';
  const admin = { authorization: `Bearer ${token}` };

  beforeAll(async () => {
    await seedEvents(inject('elasticsearchUrl'), prefix, fixtureEventList().slice(-300));
    api = await createTestApp({
      prefix,
      env: {
        ADMIN_TOKEN: token,
        EXPORT_MAX_EVENTS: '200',
        // Small bounds, so that generated requests run into them.
        STATS_MAX_RANGE_HOURS: '48',
        QUERY_MAX_IN_FLIGHT: '2',
        EXPORT_MAX_IN_FLIGHT: '1',
      },
    });
    doc = (await api.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  });
  afterAll(async () => {
    await api?.close();
    await deleteIndicesWithPrefix(inject('elasticsearchUrl'), prefix);
  });

  /**
   * An answer is documented: its status (or status class) with a schema it matches; 503 and 429 only
   * where the route lists them, with their codes and a Retry-After; never another 5xx.
   */
  function expectDocumented(
    operation: Operation,
    label: string,
    answer: { status: number; contentType: string; retryAfter: unknown; body: string },
  ): void {
    const { status } = answer;
    if (status >= 500 && status !== 503) throw new Error(`${label} → ${status} ${answer.body}`);
    if (status === 503 || status === 429) {
      const documented = operation.responses[String(status)];
      if (!documented) throw new Error(`${label} → ${status}, not documented`);
      if (documented.headers?.['Retry-After'])
        expect(String(answer.retryAfter), `${label} → ${status} without Retry-After`).toMatch(
          /^[1-9][0-9]*$/,
        );
    }
    const schema = documentedSchema(operation, status, answer.contentType);
    expect(schema, `${label} answered ${status}, which is not documented`).toBeDefined();
    if (!answer.contentType.startsWith('application/json')) return;
    const json = JSON.parse(answer.body) as Json;
    expect(Compile(deref(schema, doc) as never).Check(json), `${label} → ${status} ${answer.body}`).toBe(
      true,
    );
    if (status === 400) expect(json.code).toMatch(/^(invalid_parameter|bad_request)$/);
  }

  const operations = () =>
    Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        path,
        method: method.toUpperCase() as 'GET' | 'POST',
        operation,
      })),
    );

  it('is a valid OpenAPI document that lists every route', async () => {
    const result = await new Validator().validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(Object.keys(doc.paths as Json).sort()).toEqual(
      [
        '/api/dlq',
        '/api/dlq/redrive',
        '/api/events',
        '/api/health',
        '/api/live',
        '/api/pipeline',
        '/api/ready',
        '/api/stats',
        '/api/trending',
      ].sort(),
    );
  });

  it('matches what every route answers, for success and for errors', async () => {
    for (const { path, method, operation } of operations()) {
      if (path === '/api/live') continue; // an endless stream: checked on a listening server below
      const cases = [
        { url: path, status: method === 'POST' ? 200 : 200 },
        { url: `${path}?size=0&top=0&limit=0&from=x`, status: 400 },
      ];
      for (const { url } of cases) {
        const response = await api.app.inject({
          method,
          url,
          headers: admin,
          ...(method === 'POST' ? { payload: { limit: 1 } } : {}),
        });
        const schema = documentedSchema(
          operation,
          response.statusCode,
          String(response.headers['content-type'] ?? ''),
        );
        expect(
          schema,
          `${method} ${url} answered ${response.statusCode}, which is not documented`,
        ).toBeDefined();
        const check = Compile(deref(schema, doc) as never);
        expect(check.Check(response.json()), `${method} ${url} ${response.body.slice(0, 300)}`).toBe(true);
      }
    }
  });

  it('documents the live stream as text/event-stream and serves exactly that', async () => {
    const live = (doc.paths as Record<string, Record<string, Operation>>)['/api/live']?.get;
    expect(Object.keys(live?.responses['200']?.content ?? {})).toEqual(['text/event-stream']);
    await api.feed.close();
    const streaming = await createTestApp({ prefix });
    try {
      await streaming.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = streaming.app.server.address() as AddressInfo;
      const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const req = request(`http://127.0.0.1:${port}/api/live`, (response) => {
          resolve({ status: response.statusCode, type: response.headers['content-type'] });
          req.destroy();
        });
        req.on('error', reject);
        req.end();
      });
      expect(headers).toEqual({ status: 200, type: 'text/event-stream; charset=utf-8' });
    } finally {
      await streaming.close();
    }
  });

  it('answers thousands of generated requests, alone and at once, only as documented and never with an error of its own', async () => {
    const hostile = fc.constantFrom(
      '*',
      '"',
      '\\',
      '%',
      '%ZZ',
      '(((',
      '/.*/',
      'a~9',
      '\u0000',
      '😀',
      '-1',
      '1e999',
      'NaN',
      '',
      ' ',
      'null',
      '[]',
      '{}',
    );
    const dateish = fc
      .date({ min: new Date(-1e14), max: new Date(1e14), noInvalidDate: true })
      .map((d) => d.toISOString());
    const valueFor = (schema: Json): fc.Arbitrary<string> => {
      const anyOf = schema.anyOf as Json[] | undefined;
      const options: fc.Arbitrary<string>[] = [
        fc.string(),
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        hostile,
      ];
      if (anyOf) options.push(fc.constantFrom(...anyOf.flatMap((s) => (s.enum as string[]) ?? [])));
      if (schema.type === 'integer')
        options.push(fc.integer({ min: -5, max: 20_000 }).map(String), fc.double().map(String));
      if (schema.type === 'boolean') options.push(fc.constantFrom('true', 'false'));
      if (schema.format === 'date-time') options.push(dateish, dateish);
      if (typeof schema.pattern === 'string')
        options.push(fc.stringMatching(new RegExp(schema.pattern as string)).filter((s) => s.length < 600));
      return fc.oneof(...options);
    };
    const targets = operations().filter(({ path }) => path !== '/api/live');
    const requests = fc.oneof(
      ...targets.map(({ path, method, operation }) => {
        const params = (operation.parameters ?? []).filter((p) => p.in === 'query');
        const query = fc
          .array(
            fc.tuple(
              fc.constantFrom(...params.map((p) => p), { name: 'cursor', in: 'query', schema: {} }),
              fc.nat(),
            ),
            { maxLength: 6 },
          )
          .chain((picked) =>
            fc.tuple(
              ...picked.map(([param]) => valueFor(param.schema).map((value) => [param.name, value] as const)),
            ),
          );
        const body =
          method === 'POST'
            ? fc.oneof(
                fc.object(),
                fc.record(
                  {
                    limit: fc.integer({ min: -2, max: 2_000 }),
                    fromOffset: fc.string(),
                    reason: fc.string(),
                    partition: fc.integer({ min: -1, max: 3 }),
                  },
                  { requiredKeys: [] },
                ),
              )
            : fc.constant(undefined);
        return fc.record({
          path: fc.constant(path),
          method: fc.constant(method),
          operation: fc.constant(operation),
          query,
          body,
          raw: fc.option(hostile),
        });
      }),
    );
    // One batch that surely meets both in-flight bounds: four searches and two exports at once.
    const events = targets.find(({ path }) => path === '/api/events') as (typeof targets)[number];
    const search = (query: [string, string][]) => ({ ...events, query, body: undefined, raw: null });
    const everyBound = [
      search([]),
      search([['q', 'a']]),
      search([['q', 'b']]),
      search([['wiki', 'enwiki']]),
      search([['format', 'ndjson']]),
      search([['format', 'csv']]),
    ];
    let count = 0;
    const busy = new Map<string, number>();
    await fc.assert(
      // Several requests at once, so that the in-flight bounds are reached too.
      fc.asyncProperty(fc.array(requests, { minLength: 1, maxLength: 6 }), async (batch) => {
        await Promise.all(
          batch.map(async ({ path, method, operation, query, body, raw }) => {
            const search = new URLSearchParams(query.map(([k, v]) => [k, v] as [string, string])).toString();
            const url = `${path}?${search}${raw ? `&${raw}` : ''}`;
            const response = await api.app.inject({
              method,
              url,
              headers: admin,
              ...(body === undefined ? {} : { payload: body }),
            });
            count += 1;
            const label = `${method} ${url} ${JSON.stringify(body)}`;
            expectDocumented(operation, label, {
              status: response.statusCode,
              contentType: String(response.headers['content-type'] ?? ''),
              retryAfter: response.headers['retry-after'],
              body: response.body,
            });
            if (response.statusCode === 503) {
              // Elasticsearch is up: only the in-flight bounds may refuse.
              const code = String(response.json().code);
              expect(code, label).toMatch(/^too_many_(queries|exports)$/);
              busy.set(code, (busy.get(code) ?? 0) + 1);
            }
          }),
        );
      }),
      { numRuns: 600, examples: [[everyBound]] },
    );
    expect(count).toBeGreaterThan(1_500);
    expect(busy.get('too_many_queries') ?? 0, 'no request ran into QUERY_MAX_IN_FLIGHT').toBeGreaterThan(0);
    expect(busy.get('too_many_exports') ?? 0, 'no request ran into EXPORT_MAX_IN_FLIGHT').toBeGreaterThan(0);
  });

  it('answers generated openings and closings of live streams as its limits and the document say', async () => {
    const live = (doc.paths as Record<string, Record<string, Operation>>)['/api/live']?.get as Operation;
    const params = (live.parameters ?? []).filter((p) => p.in === 'query');
    const limits = { total: 4, perAddress: 2 };
    const streaming = await createTestApp({
      prefix,
      env: {
        TRUST_PROXY: '127.0.0.1',
        LIVE_MAX_CLIENTS: String(limits.total),
        LIVE_MAX_CLIENTS_PER_ADDRESS: String(limits.perAddress),
      },
    });
    await streaming.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = streaming.app.server.address() as AddressInfo;
    const open = (address: string, query: string) =>
      new Promise<{ status: number; contentType: string; retryAfter: unknown; body: string; close(): void }>(
        (resolve, reject) => {
          const req = request(
            `http://127.0.0.1:${port}/api/live?${query}`,
            { headers: { 'x-forwarded-for': address } },
            (response) => {
              const answer = {
                status: response.statusCode ?? 0,
                contentType: String(response.headers['content-type'] ?? ''),
                retryAfter: response.headers['retry-after'],
                body: '',
                close: () => req.destroy(),
              };
              if (answer.status === 200) return resolve(answer);
              response.setEncoding('utf8');
              response.on('data', (chunk: string) => {
                answer.body += chunk;
              });
              response.on('end', () => resolve(answer));
            },
          );
          req.on('error', reject);
          req.end();
        },
      );
    const addresses = ['203.0.113.1', '203.0.113.2', '2001:db8::7'];
    const query = fc
      .subarray(params)
      .chain((picked) =>
        fc.tuple(
          ...picked.map((p) =>
            fc.oneof(fc.constant(''), fc.string({ maxLength: 20 })).map((v) => [p.name, v]),
          ),
        ),
      )
      .map((pairs) => new URLSearchParams(pairs as [string, string][]).toString());
    const action = fc.oneof(
      fc.record({ kind: fc.constant('open' as const), address: fc.nat(addresses.length - 1), query }),
      fc.record({ kind: fc.constant('close' as const), which: fc.nat() }),
    );
    const seen = new Set<number>();
    const opening = (address: number) => ({ kind: 'open' as const, address, query: '' });
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(action, { maxLength: 14 }), async (actions) => {
          const opened: { address: string; close(): void }[] = [];
          const from = (address: string) => opened.filter((c) => c.address === address).length;
          try {
            for (const step of actions) {
              if (step.kind === 'close') {
                opened.splice(step.which % Math.max(1, opened.length), 1)[0]?.close();
                await waitFor(() => streaming.hub.clientCount() === opened.length, { timeoutMs: 5_000 });
                continue;
              }
              const address = addresses[step.address] as string;
              const answer = await open(address, step.query);
              seen.add(answer.status);
              const label = `live ${address} ?${step.query} with ${opened.length} open, ${from(address)} from it`;
              expectDocumented(live, label, answer);
              const expected =
                opened.length >= limits.total ? 503 : from(address) >= limits.perAddress ? 429 : 200;
              if (answer.status !== 400) expect(answer.status, label).toBe(expected);
              if (answer.status === 200) opened.push({ address, close: answer.close });
              if (answer.status === 429) expect(JSON.parse(answer.body).code, label).toBe('too_many_streams');
              if (answer.status === 503) expect(JSON.parse(answer.body).code, label).toBe('too_many_clients');
            }
          } finally {
            for (const client of opened.splice(0)) client.close();
            await waitFor(() => streaming.hub.clientCount() === 0, { timeoutMs: 5_000 });
          }
        }),
        {
          numRuns: 25,
          // One sequence that surely meets both caps, then frees a slot.
          examples: [
            [
              [
                opening(0),
                opening(0),
                opening(0),
                opening(1),
                opening(1),
                opening(2),
                { kind: 'close', which: 0 },
                opening(2),
              ],
            ],
          ],
        },
      );
    } finally {
      await streaming.close();
    }
    expect([...seen].filter((status) => status !== 400).sort()).toEqual([200, 429, 503]);
  });
});
