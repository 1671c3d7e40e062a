import { Client, errors } from '@elastic/elasticsearch';
import type { BulkReply, BulkSender } from './index-actions.ts';

/** The only file that talks to Elasticsearch: a small port the rest of the indexer depends on. */
export interface SearchStore extends BulkSender {
  /** The installed index template's version, `null` when it has none, undefined when it is missing. */
  templateVersion(name: string): Promise<number | null | undefined>;
  putTemplate(name: string, body: Record<string, unknown>): Promise<void>;
  /** Adds fields to the mapping of every index matching a pattern (none matching is fine). */
  putMapping(pattern: string, mapping: Record<string, unknown>): Promise<void>;
  /** Names of the indices matching a pattern (open or closed). */
  listIndices(pattern: string): Promise<string[]>;
  /** Deletes exact names; missing ones are fine (another indexer may have been faster). */
  deleteIndices(names: readonly string[]): Promise<void>;
  /** The indices an alias points to (none when it does not exist). */
  aliasMembers(alias: string): Promise<Set<string>>;
  /** One atomic `_aliases` call. */
  updateAliases(actions: readonly Record<string, unknown>[]): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface SearchStoreOptions {
  readonly url: string;
  readonly requestTimeoutMs: number;
}

/** Only what the item classifier reads: keeps the response small to parse. */
const BULK_FILTER = [
  'errors',
  'items.*.status',
  'items.*.error.type',
  'items.*.error.reason',
  'items.*.error.caused_by',
];

export function createSearchStore(options: SearchStoreOptions): SearchStore {
  const client = new Client({
    node: options.url,
    requestTimeout: options.requestTimeoutMs,
    // Retries are the indexer's business (per item, with back-off and heartbeats), not the client's.
    maxRetries: 0,
    compression: false,
  });
  return {
    async bulk(body: Buffer, signal?: AbortSignal): Promise<BulkReply> {
      try {
        const response = await client.bulk(
          { operations: body as never, filter_path: BULK_FILTER },
          signal ? { signal } : {},
        );
        return { kind: 'items', items: (response.items ?? []) as never };
      } catch (error) {
        return { kind: 'failed', status: statusOf(error), detail: describe(error) };
      }
    },
    async templateVersion(name) {
      const found = await client.indices.getIndexTemplate({ name }, { ignore: [404] });
      const template = found.index_templates?.find((entry) => entry.name === name);
      if (template === undefined) return undefined;
      return template.index_template.version ?? null;
    },
    async putTemplate(name, body) {
      await client.indices.putIndexTemplate({ name, ...body });
    },
    async putMapping(pattern, mapping) {
      await client.indices.putMapping({
        index: pattern,
        allow_no_indices: true,
        expand_wildcards: 'open',
        ...mapping,
      });
    },
    async listIndices(pattern) {
      const rows = await client.cat.indices({
        index: pattern,
        format: 'json',
        h: ['index'],
        expand_wildcards: 'all',
      });
      return rows.map((row) => row.index).filter((name): name is string => typeof name === 'string');
    },
    async deleteIndices(names) {
      if (names.length === 0) return;
      await client.indices.delete({ index: [...names], ignore_unavailable: true }, { ignore: [404] });
    },
    async aliasMembers(alias) {
      try {
        return new Set(Object.keys(await client.indices.getAlias({ name: alias })));
      } catch (error) {
        if (statusOf(error) === 404) return new Set();
        throw error;
      }
    },
    async updateAliases(actions) {
      if (actions.length === 0) return;
      await client.indices.updateAliases({ actions: [...actions] as never[] });
    },
    async ping() {
      try {
        await client.cluster.health({ timeout: '1s' }, { requestTimeout: 2_000 });
        return true;
      } catch {
        return false;
      }
    },
    close: () => client.close(),
  };
}

function statusOf(error: unknown): number | undefined {
  return error instanceof errors.ResponseError ? error.statusCode : undefined;
}

function describe(error: unknown): string {
  if (error instanceof errors.ResponseError)
    return `${error.statusCode ?? '?'} ${error.message}`.slice(0, 500);
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 500);
  return String(error);
}
