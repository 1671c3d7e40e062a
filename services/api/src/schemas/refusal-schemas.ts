import { Type } from 'typebox';
import { ApiErrorCode } from '../http/api-error.ts';

/**
 * The 429 and 503 answers each route documents: which codes it can carry and the Retry-After
 * header that comes with them. Other 4xx/5xx stay under the generic ApiError classes.
 */
const RETRY_AFTER = {
  'Retry-After': { type: 'integer', minimum: 1, description: 'Seconds to wait before trying again' },
};

function refusal(description: string, codes: readonly ApiErrorCode[]) {
  return Type.Object(
    {
      code: Type.Unsafe<string>({
        type: 'string',
        enum: [...codes],
        description: 'Stable machine-readable code',
      }),
      message: Type.String(),
    },
    { description, headers: RETRY_AFTER },
  );
}

const RATE_LIMITED = refusal('Too many requests from this client address (RATE_LIMIT_MAX a minute)', [
  ApiErrorCode.RateLimited,
]);

const unavailable = 'Elasticsearch is unavailable (elasticsearch_unavailable)';
const queries = `this instance runs QUERY_MAX_IN_FLIGHT queries already (too_many_queries)`;

export const REFUSALS = {
  /** Routes that only the rate limit can refuse. */
  any: { 429: RATE_LIMITED },
  /** Stats and trending. */
  query: {
    429: RATE_LIMITED,
    503: refusal(`${unavailable}, or ${queries}`, [
      ApiErrorCode.ElasticsearchUnavailable,
      ApiErrorCode.TooManyQueries,
    ]),
  },
  /** Search pages and exports. */
  events: {
    429: RATE_LIMITED,
    503: refusal(
      `${unavailable}; ${queries}; or, for ndjson and csv, EXPORT_MAX_IN_FLIGHT exports stream already (too_many_exports)`,
      [ApiErrorCode.ElasticsearchUnavailable, ApiErrorCode.TooManyQueries, ApiErrorCode.TooManyExports],
    ),
  },
  pipeline: {
    429: RATE_LIMITED,
    503: refusal(`The pipeline report is a query too: ${queries}`, [ApiErrorCode.TooManyQueries]),
  },
  kafka: {
    429: RATE_LIMITED,
    503: refusal('Kafka is unavailable (kafka_unavailable)', [ApiErrorCode.KafkaUnavailable]),
  },
  live: {
    429: refusal(
      'Too many requests (rate_limited), or this client address holds LIVE_MAX_CLIENTS_PER_ADDRESS streams already (too_many_streams)',
      [ApiErrorCode.RateLimited, ApiErrorCode.TooManyStreams],
    ),
    503: refusal(
      'The live feed cannot read Kafka (live_feed_unavailable), or every one of LIVE_MAX_CLIENTS slots is taken (too_many_clients)',
      [ApiErrorCode.LiveFeedUnavailable, ApiErrorCode.TooManyClients],
    ),
  },
} as const;
