import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  boolean,
  type ConfigOf,
  DEFAULTS,
  GAPS_TOPIC,
  integer,
  LOG_LEVELS,
  list,
  loadConfig,
  oneOf,
  optionalString,
  port,
  string,
  url,
} from '@wikistream/shared';
import { adminToken, trustedProxies } from './config-fields.ts';

/** The built dashboard, next to this package in the repository: `<repo>/web/dist`. */
const DEFAULT_WEB_DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

/** Every variable the api reads. Only this file looks at process.env. */
export const configSchema = {
  PORT: port({ default: DEFAULTS.apiPort, description: 'HTTP port (dashboard at /, JSON under /api)' }),
  HOST: string({ default: '0.0.0.0', description: 'Address to listen on' }),
  ELASTICSEARCH_URL: url({ default: DEFAULTS.elasticsearchUrl, description: 'Elasticsearch node' }),
  ES_INDEX_PREFIX: string({ default: DEFAULTS.esIndexPrefix, description: 'Daily index prefix to read' }),
  KAFKA_BROKERS: list({
    default: [DEFAULTS.kafkaBrokers],
    description: 'Kafka brokers (live feed, pipeline)',
  }),
  KAFKA_TOPIC: string({ default: DEFAULTS.kafkaTopic, description: 'Data topic; the DLQ is <topic>.dlq' }),
  KAFKA_GAPS_TOPIC: string({ default: GAPS_TOPIC, description: 'Gap ledger topic' }),
  KAFKA_GROUP_ID: string({
    default: DEFAULTS.kafkaGroupId,
    description: 'Consumer group of the indexers, whose lag /api/pipeline reports',
  }),
  LOG_LEVEL: oneOf(LOG_LEVELS, { default: 'info', description: 'pino log level' }),
  ADMIN_TOKEN: adminToken(),
  CORS_ORIGIN: optionalString('Allowed CORS origin(s), comma-separated; unset sends no CORS headers'),
  WEB_DIST_DIR: string({ default: DEFAULT_WEB_DIST, description: 'The built dashboard served at /' }),
  TRUST_PROXY: trustedProxies(),
  RATE_LIMIT_MAX: integer({ default: 600, min: 1, description: 'Requests per minute per client address' }),
  EXPORT_MAX_EVENTS: integer({
    default: 10_000,
    min: 1,
    max: 1_000_000,
    description: 'Most events one ndjson/csv export streams',
  }),
  QUERY_MAX_IN_FLIGHT: integer({
    default: 8,
    min: 1,
    max: 1_000,
    description:
      'Searches, stats, trending and pipeline reads running against Elasticsearch at once; more are answered 503 too_many_queries',
  }),
  EXPORT_MAX_IN_FLIGHT: integer({
    default: 2,
    min: 1,
    max: 100,
    description: 'ndjson/csv exports streaming at once; more are answered 503 too_many_exports',
  }),
  STATS_MAX_RANGE_HOURS: integer({
    default: 168,
    min: 1,
    max: 1_000_000,
    description: 'Longest range /api/stats answers (from–to, or last); longer is a 400',
  }),
  LIVE_MAX_CLIENTS: integer({ default: 500, min: 1, description: 'Concurrent /api/live connections' }),
  LIVE_MAX_CLIENTS_PER_ADDRESS: integer({
    default: 10,
    min: 1,
    description: 'Concurrent /api/live connections from one client address; more are answered 429',
  }),
  LIVE_BLOCKED_TIMEOUT_MS: integer({
    default: 30_000,
    min: 100,
    description:
      'A live client whose socket has not drained for this long (it stopped reading) is disconnected',
  }),
  LIVE_MAX_STREAM_MS: integer({
    default: 900_000,
    min: 1_000,
    description:
      'A live stream ends cleanly after 90–100 % of this; clients reconnect with Last-Event-ID and lose nothing',
  }),
  LIVE_CLIENT_BUFFER: integer({
    default: 500,
    min: 1,
    max: 100_000,
    description: 'Events queued for a slow live client before the oldest are dropped',
  }),
  LIVE_REPLAY_EVENTS: integer({
    default: 5_000,
    min: 0,
    max: 1_000_000,
    description: 'Recent events kept for resuming with Last-Event-ID',
  }),
  LIVE_HEARTBEAT_MS: integer({ default: 15_000, min: 100, description: 'Idle time before an SSE comment' }),
  ANALYTICS_CACHE_MS: integer({
    default: 10_000,
    min: 0,
    max: 600_000,
    description: 'Stats and trending answers are shared for this long (0: off)',
  }),
  ANALYTICS_STALE_MS: integer({
    default: 60_000,
    min: 0,
    max: 3_600_000,
    description: 'After that, an answer is still served this long while a refresh runs in the background',
  }),
  ROLLUPS: boolean({ default: true, description: 'Compute per-minute rollups and read stats from them' }),
  ROLLUP_BACKFILL_HOURS: integer({
    default: 49,
    min: 1,
    max: 24 * 31,
    description: 'How far back rollups are computed at start (stats of 24 h plus the 24 h before)',
  }),
  ROLLUP_RETENTION_DAYS: integer({ default: 8, min: 1, description: 'Days of rollups kept' }),
  ROLLUP_INTERVAL_MS: integer({ default: 20_000, min: 1_000, description: 'Time between rollup passes' }),
  STATS_SAMPLE_ABOVE: integer({
    default: 500_000,
    min: 1,
    description: 'Above this many events in a range, top pages and editors come from a random sample',
  }),
  ES_REQUEST_TIMEOUT_MS: integer({ default: 10_000, min: 100, description: 'Elasticsearch request timeout' }),
  SHUTDOWN_TIMEOUT_MS: integer({ default: 10_000, min: 100, description: 'Graceful shutdown deadline' }),
} as const;

export type ApiConfig = ConfigOf<typeof configSchema>;

export function loadApiConfig(env: Readonly<Record<string, string | undefined>> = process.env): ApiConfig {
  return loadConfig(configSchema, env);
}

/** A consumer group no other process uses: the live feed reads every partition itself. */
export function liveGroupId(pid: number = process.pid, host: string = hostname()): string {
  return `wikistream-api-live-${host}-${pid}`;
}
