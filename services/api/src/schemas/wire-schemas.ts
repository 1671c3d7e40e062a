import type {
  ApiError,
  DeadLetterList,
  EventSummary,
  EventsPage,
  HealthResponse,
  PipelineResponse,
  ReadyResponse,
  RedriveResponse,
  StatsResponse,
  TrendingResponse,
} from '@wikistream/shared';
import { type Static, type TSchema, Type } from 'typebox';

/**
 * The response schemas: the wire contract (packages/shared/src/api/wire.ts) as JSON Schema, for
 * validation-free fast serialization and the OpenAPI document. The assertions at the end fail the
 * type check when a schema and its wire type drift apart in either direction.
 */
const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const isoTime = (description?: string) =>
  Type.String({ format: 'date-time', ...(description ? { description } : {}) });
const count = Type.Integer({ minimum: 0 });
const countOf = (description: string) => Type.Integer({ minimum: 0, description });
// Spelled out so that the static type is the literal union (the assertions below check it).
const editorKind = Type.Union(
  [Type.Literal('registered'), Type.Literal('temporary'), Type.Literal('ip'), Type.Literal('bot')],
  { description: 'bot (the bot flag), temporary (a temporary account), ip (an IP address) or registered' },
);

export const ApiErrorSchema = Type.Object(
  {
    code: Type.String({ description: 'Stable machine-readable code' }),
    message: Type.String(),
    field: Type.Optional(Type.String({ description: 'The offending parameter, for 400s' })),
  },
  { $id: 'ApiError' },
);

export const EventSummarySchema = Type.Object({
  id: Type.String({ description: 'meta.id' }),
  dt: isoTime('meta.dt'),
  wiki: nullable(Type.String()),
  serverUrl: nullable(Type.String()),
  type: Type.String(),
  namespace: nullable(Type.Integer()),
  title: nullable(Type.String()),
  user: nullable(Type.String()),
  bot: Type.Boolean(),
  anonymous: Type.Boolean({ description: 'Logged out: a temporary account or an IP address' }),
  editorKind,
  minor: nullable(Type.Boolean()),
  comment: nullable(Type.String()),
  byteDelta: nullable(Type.Integer()),
  revision: nullable(Type.Object({ old: nullable(Type.Integer()), new: nullable(Type.Integer()) })),
  logType: nullable(Type.String()),
  logAction: nullable(Type.String()),
});

export const EventsPageSchema = Type.Object({
  total: count,
  totalRelation: Type.Union([Type.Literal('eq'), Type.Literal('gte')]),
  events: Type.Array(EventSummarySchema),
  nextCursor: nullable(Type.String()),
});

const TotalsSchema = Type.Object({
  events: count,
  edits: count,
  newPages: count,
  logs: count,
  categorize: count,
  bots: count,
  humans: countOf('Registered accounts that are not bots (the same as registered)'),
  registered: count,
  temporary: countOf('Temporary accounts (~2025-12345-67), not bots'),
  ip: countOf('IP addresses, not bots'),
  anonymous: countOf('temporary + ip'),
  activeWikis: count,
  activeUsers: count,
  bytesAdded: Type.Integer(),
  bytesRemoved: Type.Integer(),
});

const keyCount = <K extends TSchema>(key: K) => Type.Object({ key, count });

export const StatsResponseSchema = Type.Object({
  range: Type.Object({ from: isoTime(), to: isoTime(), interval: Type.String() }),
  totals: TotalsSchema,
  previous: TotalsSchema,
  eventsPerMinute: Type.Number(),
  series: Type.Array(
    Type.Object({
      t: isoTime(),
      bot: count,
      human: count,
      registered: count,
      temporary: count,
      ip: count,
      anonymous: count,
    }),
  ),
  topWikis: Type.Array(Type.Object({ key: Type.String(), count, serverUrl: nullable(Type.String()) })),
  topPages: Type.Array(
    Type.Object({ wiki: Type.String(), title: Type.String(), serverUrl: nullable(Type.String()), count }),
  ),
  topEditors: Type.Array(
    Type.Object({
      user: Type.String(),
      count,
      bot: Type.Boolean(),
      anonymous: Type.Boolean(),
      kind: editorKind,
      wiki: nullable(Type.String()),
      serverUrl: nullable(Type.String()),
    }),
  ),
  types: Type.Array(keyCount(Type.String())),
  namespaces: Type.Array(keyCount(Type.Integer())),
  sampleRate: Type.Optional(
    Type.Number({
      exclusiveMinimum: 0,
      maximum: 1,
      description: 'Top lists estimated from this fraction of events',
    }),
  ),
});

const TrendingItemSchema = Type.Object({
  wiki: Type.String(),
  title: nullable(Type.String()),
  serverUrl: nullable(Type.String()),
  recent: count,
  expected: Type.Number(),
  ratio: Type.Number(),
});

export const TrendingResponseSchema = Type.Object({
  window: Type.Object({ from: isoTime(), to: isoTime() }),
  baseline: Type.Object({ from: isoTime(), to: isoTime() }),
  pages: Type.Array(TrendingItemSchema),
  wikis: Type.Array(TrendingItemSchema),
});

export const PipelineResponseSchema = Type.Object({
  generatedAt: isoTime(),
  freshness: Type.Object({
    newestEventDt: nullable(isoTime()),
    newestIndexedAt: nullable(isoTime()),
    ageSeconds: nullable(Type.Number()),
  }),
  lag: Type.Array(
    Type.Object({
      partition: Type.Integer(),
      committedOffset: Type.String(),
      endOffset: Type.String(),
      lag: Type.Integer(),
    }),
  ),
  totalLag: Type.Integer(),
  rates: Type.Object({ inPerSecond: Type.Number(), outPerSecond: Type.Number() }),
  latency: Type.Object({ p50Ms: nullable(Type.Number()), p99Ms: nullable(Type.Number()), sampleSize: count }),
  deadLetters: Type.Object({ total: count, byReason: Type.Array(keyCount(Type.String())) }),
  gaps: Type.Array(
    Type.Object({
      from: Type.String(),
      to: Type.String(),
      reason: Type.String(),
      detectedAt: Type.String(),
      detail: Type.Optional(Type.String()),
    }),
  ),
  indexers: Type.Object(
    {
      state: Type.String({ description: "The group's state: Stable, PreparingRebalance, Empty, Dead, …" }),
      members: Type.Array(
        Type.Object({
          memberId: Type.String(),
          host: Type.String({ description: 'Where the member connects from, as the broker sees it' }),
          partitions: Type.Array(Type.Integer(), { description: 'Data-topic partitions it owns' }),
        }),
      ),
    },
    { description: 'The indexer consumer group and who owns which partition' },
  ),
  drift: Type.Object(
    {
      from: isoTime(),
      to: isoTime(),
      schemas: Type.Array(
        Type.Object({
          schema: Type.String({
            description:
              "`$schema` (legacy events: `meta.schema_uri`); `(none)` when neither, `(other)` past the indexers' cap of versions per minute",
          }),
          events: count,
          unknownFields: Type.Array(
            Type.Object({
              name: Type.String(),
              count,
              firstSeen: isoTime('Earliest sighting the drift indices still hold (RETENTION_DAYS)'),
            }),
            { description: 'Top-level fields outside the event contract, most frequent first' },
          ),
          otherFields: Type.Integer({
            minimum: 0,
            description:
              "Unknown-field occurrences not listed (past the indexers' cap of names, or the list's length)",
          }),
        }),
        { description: 'Per schema version, most events first' },
      ),
    },
    {
      description:
        'Schema drift over the last 24 h: events per `$schema` version and top-level fields outside the contract, as the indexers counted them. Unknown fields stay in `_source` and are never mapped.',
    },
  ),
  unavailable: Type.Array(Type.String()),
});

export const HealthResponseSchema = Type.Object({
  status: Type.Literal('ok'),
  version: Type.String(),
  uptimeSeconds: Type.Number(),
});

export const ReadyResponseSchema = Type.Object({
  ready: Type.Boolean(),
  elasticsearch: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  kafka: Type.Union([Type.Literal('up'), Type.Literal('down')]),
});

export const DeadLetterListSchema = Type.Object({
  total: count,
  byReason: Type.Array(keyCount(Type.String())),
  entries: Type.Array(
    Type.Object({
      partition: Type.Integer(),
      offset: Type.String(),
      reason: Type.String(),
      detail: Type.String(),
      stage: Type.String(),
      failedAt: Type.String(),
      sourceTopic: nullable(Type.String()),
      sourcePartition: nullable(Type.Integer()),
      sourceOffset: nullable(Type.String()),
      preview: Type.String(),
      size: count,
    }),
  ),
});

export const RedriveResponseSchema = Type.Object({ redriven: count });

type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function assertMutual<_Check extends true>(): void {}
assertMutual<Mutual<Static<typeof ApiErrorSchema>, ApiError>>();
assertMutual<Mutual<Static<typeof EventSummarySchema>, EventSummary>>();
assertMutual<Mutual<Static<typeof EventsPageSchema>, EventsPage>>();
assertMutual<Mutual<Static<typeof StatsResponseSchema>, StatsResponse>>();
assertMutual<Mutual<Static<typeof TrendingResponseSchema>, TrendingResponse>>();
assertMutual<Mutual<Static<typeof PipelineResponseSchema>, PipelineResponse>>();
assertMutual<Mutual<Static<typeof HealthResponseSchema>, HealthResponse>>();
assertMutual<Mutual<Static<typeof ReadyResponseSchema>, ReadyResponse>>();
assertMutual<Mutual<Static<typeof DeadLetterListSchema>, DeadLetterList>>();
assertMutual<Mutual<Static<typeof RedriveResponseSchema>, RedriveResponse>>();
