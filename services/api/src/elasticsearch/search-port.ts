import { Client, errors } from '@elastic/elasticsearch';
import { ErrorCode, WikistreamError } from '@wikistream/shared';
import type { SearchPort, SearchRequest, SearchResponse } from './search-types.ts';

export interface SearchPortOptions {
  readonly url: string;
  readonly requestTimeoutMs: number;
}

/** Connection trouble, timeouts and an overloaded or starting cluster: the caller answers 503. */
function classify(error: unknown): Error {
  const unavailable =
    error instanceof errors.ConnectionError ||
    error instanceof errors.TimeoutError ||
    error instanceof errors.NoLivingConnectionsError ||
    (error instanceof errors.ResponseError && [429, 502, 503, 504].includes(error.statusCode ?? 0));
  if (unavailable) {
    return new WikistreamError(ErrorCode.ElasticsearchUnavailable, 'Elasticsearch is unavailable', {
      retriable: true,
      cause: error,
    });
  }
  return new WikistreamError(ErrorCode.Internal, 'Elasticsearch refused a request', { cause: error });
}

/** The only file that imports the Elasticsearch client. Reads only; missing indices read as empty. */
export function createSearchPort(options: SearchPortOptions): SearchPort {
  const client = new Client({ node: options.url, requestTimeout: options.requestTimeoutMs, maxRetries: 1 });
  const common = { ignore_unavailable: true, allow_no_indices: true } as const;
  return {
    async search<T>(request: SearchRequest): Promise<SearchResponse<T>> {
      try {
        return (await client.search({
          index: request.index,
          ...common,
          ...request.body,
        })) as SearchResponse<T>;
      } catch (error) {
        throw classify(error);
      }
    },
    async count(request: SearchRequest): Promise<number> {
      try {
        const answer = await client.count({ index: request.index, ...common, ...request.body });
        return answer.count;
      } catch (error) {
        throw classify(error);
      }
    },
    async ping(): Promise<boolean> {
      try {
        const health = await client.cluster.health({ timeout: '2s' }, { requestTimeout: 3_000 });
        return health.status !== 'red';
      } catch {
        return false;
      }
    },
    async putIndexTemplate(name, body) {
      try {
        await client.indices.putIndexTemplate({ name, ...body });
      } catch (error) {
        throw classify(error);
      }
    },
    async bulk(operations) {
      let answer: Awaited<ReturnType<typeof client.bulk>>;
      try {
        answer = await client.bulk({ operations: [...operations] as never[] });
      } catch (error) {
        throw classify(error);
      }
      if (answer.errors) {
        const failed = answer.items.find((item) => Object.values(item)[0]?.error);
        throw new WikistreamError(ErrorCode.Internal, 'Elasticsearch refused a rollup write', {
          details: { item: failed },
        });
      }
    },
    async refresh(index) {
      try {
        await client.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true });
      } catch (error) {
        throw classify(error);
      }
    },
    async listIndices(pattern) {
      try {
        // An alias or name that does not exist yet lists nothing (a fresh deployment has no read alias).
        const rows = await client.cat.indices(
          { index: pattern, format: 'json', h: ['index'] },
          { querystring: { ignore_unavailable: true } },
        );
        return rows.map((row) => row.index).filter((name): name is string => typeof name === 'string');
      } catch (error) {
        throw classify(error);
      }
    },
    async deleteIndices(names) {
      if (names.length === 0) return;
      try {
        await client.indices.delete({ index: [...names], ignore_unavailable: true });
      } catch (error) {
        throw classify(error);
      }
    },
    close: () => client.close(),
  };
}
