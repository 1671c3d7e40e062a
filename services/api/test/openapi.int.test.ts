import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Validator } from '@seriousme/openapi-schema-validator';
import { deleteIndicesWithPrefix, uniqueName } from '@wikistream/tools/testing';
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
  responses: Record<string, { content?: Record<string, { schema: Json }> }>;
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
  const admin = { authorization: 'Bearer fuzz-token' };

  beforeAll(async () => {
    await seedEvents(inject('elasticsearchUrl'), prefix, fixtureEventList().slice(-300));
    api = await createTestApp({ prefix, env: { ADMIN_TOKEN: 'fuzz-token', EXPORT_MAX_EVENTS: '200' } });
    doc = (await api.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  });
  afterAll(async () => {
    await api?.close();
    await deleteIndicesWithPrefix(inject('elasticsearchUrl'), prefix);
  });

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

  it('never answers a 5xx to thousands of generated requests', async () => {
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
          query,
          body,
          raw: fc.option(hostile),
        });
      }),
    );
    let count = 0;
    await fc.assert(
      fc.asyncProperty(requests, async ({ path, method, query, body, raw }) => {
        const search = new URLSearchParams(query.map(([k, v]) => [k, v] as [string, string])).toString();
        const url = `${path}?${search}${raw ? `&${raw}` : ''}`;
        const response = await api.app.inject({
          method,
          url,
          headers: admin,
          ...(body === undefined ? {} : { payload: body }),
        });
        count += 1;
        if (response.statusCode >= 500)
          throw new Error(
            `${method} ${url} ${JSON.stringify(body)} → ${response.statusCode} ${response.body}`,
          );
        if (response.statusCode === 400)
          expect(response.json().code).toMatch(/^(invalid_parameter|bad_request)$/);
      }),
      { numRuns: 2_000 },
    );
    expect(count).toBe(2_000);
  });
});
