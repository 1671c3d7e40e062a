import { Readable } from 'node:stream';
import type { EventSummary } from '@wikistream/shared';
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { AppDeps } from '../app-deps.ts';
import type { SearchHit } from '../elasticsearch/search-types.ts';
import { invalidParameter, wholeNumber } from '../http/api-error.ts';
import type { WorkLimits } from '../http/in-flight.ts';
import { LIMITS } from '../limits.ts';
import { decodeCursor, encodeCursor, type SortValues } from '../query/cursor.ts';
import { eventsSearchBody } from '../query/events-query.ts';
import { csvHeader, csvLine, ndjsonLine } from '../query/export-lines.ts';
import { type Filters, parseFilters } from '../query/filters.ts';
import { type SummarySource, toSummary } from '../query/to-summary.ts';
import { EventsQuerySchema } from '../schemas/query-schemas.ts';
import { REFUSALS } from '../schemas/refusal-schemas.ts';
import { ApiErrorSchema, EventsPageSchema } from '../schemas/wire-schemas.ts';

type Query = Static<typeof EventsQuerySchema>;

interface Page {
  readonly events: EventSummary[];
  /** Sort values of each event, for the cursor. */
  readonly sorts: (SortValues | undefined)[];
  readonly last: SortValues | undefined;
  readonly total?: { value: number; relation: 'eq' | 'gte' };
}

function sortValues(hit: SearchHit | undefined): SortValues | undefined {
  const [dt, id] = hit?.sort ?? [];
  return typeof dt === 'number' && typeof id === 'string' ? [dt, id] : undefined;
}

async function* withHeader(header: string, lines: AsyncIterable<string>) {
  yield header;
  yield* lines;
}

/** Gives the export's slot back as soon as its last line is read (or reading stops). */
async function* releasing(lines: AsyncIterable<string>, release: () => void) {
  try {
    yield* lines;
  } finally {
    release();
  }
}

export function eventRoutes(app: FastifyInstance, deps: AppDeps, index: string, limits: WorkLimits): void {
  async function fetchPage(
    filters: Filters,
    q: string | undefined,
    size: number,
    after?: SortValues,
    trackTotal = false,
  ): Promise<Page> {
    const answer = await deps.search.search<SummarySource>({
      index,
      body: eventsSearchBody({ filters, q, size, after, trackTotal }),
    });
    const hits = answer.hits.hits.filter((hit) => hit._source);
    const total = answer.hits.total;
    return {
      events: hits.map((hit) => toSummary(hit._source as SummarySource)),
      sorts: hits.map(sortValues),
      last: sortValues(answer.hits.hits.at(-1)),
      ...(typeof total === 'object' ? { total } : {}),
    };
  }

  /** Pages through every match with search_after, up to the export cap. */
  async function* exportStream(
    filters: Filters,
    q: string | undefined,
    first: Page,
    cap: number,
    line: (event: EventSummary) => string,
  ) {
    let page = first;
    let sent = 0;
    for (;;) {
      for (const event of page.events.slice(0, cap - sent)) yield line(event);
      sent += page.events.length;
      if (sent >= cap || page.last === undefined || page.events.length < LIMITS.exportPage) return;
      page = await fetchPage(filters, q, Math.min(LIMITS.exportPage, cap - sent), page.last);
    }
  }

  app.get(
    '/api/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Search events, newest first, paged with a cursor; or export them as NDJSON or CSV',
        querystring: EventsQuerySchema,
        response: {
          200: {
            description: 'A page of events (json), or a streamed export (ndjson, csv)',
            content: {
              'application/json': { schema: EventsPageSchema },
              'application/x-ndjson': { schema: { type: 'string' } },
              'text/csv': { schema: { type: 'string' } },
            },
          },
          ...REFUSALS.events,
          '4xx': ApiErrorSchema,
          '5xx': ApiErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const query = request.query as Query;
      const filters = parseFilters(query);
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      if (query.cursor !== undefined && after === undefined)
        throw invalidParameter('cursor', 'must be the nextCursor of a previous page');
      const format = query.format ?? 'json';
      if (format === 'json') {
        const size = wholeNumber('size', query.size, 1, LIMITS.pageSize, 50);
        // One extra hit tells whether another page exists, so the last page has no cursor.
        const page = await limits.queries.run(() => fetchPage(filters, query.q, size + 1, after, true));
        const events = page.events.slice(0, size);
        const cursorAt = page.events.length > size ? page.sorts[size - 1] : undefined;
        return {
          total: page.total?.value ?? events.length,
          totalRelation: page.total?.relation ?? 'eq',
          events,
          nextCursor: cursorAt ? encodeCursor(cursorAt) : null,
        };
      }
      const cap = deps.config.EXPORT_MAX_EVENTS;
      // An export holds its slot from its first page until its stream closes (ended, failed or abandoned).
      const release = limits.exports.acquire();
      let first: Page;
      try {
        // The first page is read before answering, so an unavailable Elasticsearch is still a 503.
        first = await fetchPage(filters, query.q, Math.min(LIMITS.exportPage, cap), after);
      } catch (error) {
        release();
        throw error;
      }
      const csv = format === 'csv';
      const lines = exportStream(filters, query.q, first, cap, csv ? csvLine : ndjsonLine);
      const body = Readable.from(releasing(csv ? withHeader(csvHeader(), lines) : lines, release));
      body.on('error', (error) => request.log.error({ err: error }, 'export stopped'));
      // A stream destroyed before its first line never runs the generator's finally.
      body.once('close', release);
      return reply
        .header('content-type', csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="wikistream-events.${csv ? 'csv' : 'ndjson'}"`)
        .send(body);
    },
  );
}
