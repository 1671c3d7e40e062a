import { Client, errors } from '@elastic/elasticsearch';
import { ErrorCode, WikistreamError } from '@wikistream/shared';
import type { AliasListing } from './layout.ts';

/** One shard's sequence numbers, and the writes running on it now. */
export interface ShardCheckpoint {
  readonly shard: number;
  /** Every write up to here is done (and visible after a refresh). */
  readonly localCheckpoint: number;
  /** The highest sequence number handed out. */
  readonly maxSeqNo: number;
  readonly writesInFlight: number;
}

export interface Hit {
  readonly id: string;
  readonly source: Record<string, unknown>;
  readonly sort: unknown[] | undefined;
}

export type ItemResult =
  | { readonly kind: 'ok' }
  | { readonly kind: 'retry' }
  | { readonly kind: 'rejected'; readonly status: number; readonly reason: string };

export interface Versioned<T> {
  readonly doc: T;
  readonly seqNo: number;
  readonly primaryTerm: number;
}

/** The only file of the re-index that talks to Elasticsearch. */
export interface ReindexStore {
  templateVersion(name: string): Promise<number | null | undefined>;
  /** The settings of an installed template (`index.*` keys as the engine returns them). */
  templateSettings(name: string): Promise<Record<string, unknown> | undefined>;
  putTemplate(name: string, body: Record<string, unknown>): Promise<void>;
  /** Every index matching the pattern, with its aliases. */
  aliases(pattern: string): Promise<AliasListing>;
  aliasMembers(alias: string): Promise<Set<string>>;
  updateAliases(actions: readonly Record<string, unknown>[]): Promise<void>;
  exists(index: string): Promise<boolean>;
  /** Creates an index; one that exists already is fine. */
  createIndex(
    index: string,
    settings: Record<string, unknown>,
    mappings?: Record<string, unknown>,
  ): Promise<void>;
  deleteIndices(names: readonly string[]): Promise<void>;
  putSettings(index: string, settings: Record<string, unknown>): Promise<void>;
  /** The index's settings under `index.` (flat keys, e.g. `index.blocks.read_only_allow_delete`). */
  settings(index: string): Promise<Record<string, unknown>>;
  refresh(index: string): Promise<void>;
  count(index: string, query?: Record<string, unknown>): Promise<number>;
  checkpoints(index: string): Promise<ShardCheckpoint[]>;
  openPit(index: string, keepAlive: string): Promise<string>;
  closePit(id: string): Promise<void>;
  /** One page of a point in time, sorted by meta.id; returns the (possibly renewed) point-in-time id. */
  page(request: {
    pit: string;
    keepAlive: string;
    query: Record<string, unknown>;
    size: number;
    after: unknown[] | undefined;
  }): Promise<{ pit: string; hits: Hit[] }>;
  /** An NDJSON bulk body → one result per item, in order. */
  bulk(body: string, items: number): Promise<ItemResult[]>;
  getDocument<T>(index: string, id: string): Promise<Versioned<T> | undefined>;
  /** Writes a document if its version is still `expected` (`'absent'`: it must not exist); else a conflict. */
  putDocument<T>(
    index: string,
    id: string,
    doc: T,
    expected: { seqNo: number; primaryTerm: number } | 'absent',
  ): Promise<Versioned<T>>;
  close(): Promise<void>;
}

export function isConflict(error: unknown): boolean {
  return error instanceof errors.ResponseError && error.statusCode === 409;
}

const statusOf = (error: unknown) => (error instanceof errors.ResponseError ? error.statusCode : undefined);

export function createReindexStore(options: { url: string; requestTimeoutMs: number }): ReindexStore {
  const client = new Client({ node: options.url, requestTimeout: options.requestTimeoutMs, maxRetries: 3 });
  return {
    async templateVersion(name) {
      const found = await client.indices.getIndexTemplate({ name }, { ignore: [404] });
      const template = found.index_templates?.find((entry) => entry.name === name);
      if (template === undefined) return undefined;
      return template.index_template.version ?? null;
    },
    async templateSettings(name) {
      const found = await client.indices.getIndexTemplate({ name }, { ignore: [404] });
      const template = found.index_templates?.find((entry) => entry.name === name);
      return template?.index_template.template?.settings as Record<string, unknown> | undefined;
    },
    async putTemplate(name, body) {
      await client.indices.putIndexTemplate({ name, ...body });
    },
    async aliases(pattern) {
      try {
        return (await client.indices.getAlias({ index: pattern, expand_wildcards: 'all' })) as AliasListing;
      } catch (error) {
        if (statusOf(error) === 404) return {};
        throw error;
      }
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
      if (actions.length > 0) await client.indices.updateAliases({ actions: [...actions] as never[] });
    },
    exists: (index) => client.indices.exists({ index }),
    async createIndex(index, settings, mappings) {
      try {
        await client.indices.create({ index, settings, ...(mappings ? { mappings } : {}) });
      } catch (error) {
        const type = (error as { body?: { error?: { type?: string } } }).body?.error?.type;
        if (statusOf(error) === 400 && type === 'resource_already_exists_exception') return;
        throw error;
      }
    },
    async deleteIndices(names) {
      if (names.length === 0) return;
      await client.indices.delete({ index: [...names], ignore_unavailable: true }, { ignore: [404] });
    },
    async putSettings(index, settings) {
      await client.indices.putSettings({ index, settings });
    },
    async settings(index) {
      const answer = await client.indices.getSettings({ index, flat_settings: true });
      return (answer[index]?.settings ?? {}) as Record<string, unknown>;
    },
    async refresh(index) {
      await client.indices.refresh({ index });
    },
    async count(index, query) {
      return (await client.count({ index, ...(query ? { query } : {}) })).count;
    },
    async checkpoints(index) {
      const stats = await client.indices.stats({ index, level: 'shards', metric: ['indexing'] });
      const shards = (stats.indices?.[index]?.shards ?? {}) as Record<
        string,
        {
          routing?: { primary?: boolean };
          seq_no?: { local_checkpoint?: number; max_seq_no?: number };
          indexing?: { index_current?: number };
        }[]
      >;
      return Object.entries(shards).map(([shard, copies]) => {
        const primary = copies.find((copy) => copy.routing?.primary !== false) ?? copies[0];
        return {
          shard: Number(shard),
          localCheckpoint: primary?.seq_no?.local_checkpoint ?? -1,
          maxSeqNo: primary?.seq_no?.max_seq_no ?? -1,
          writesInFlight: primary?.indexing?.index_current ?? 0,
        };
      });
    },
    async openPit(index, keepAlive) {
      return (await client.openPointInTime({ index, keep_alive: keepAlive })).id;
    },
    async closePit(id) {
      await client.closePointInTime({ id }).catch(() => undefined);
    },
    async page(request) {
      const answer = await client.search<Record<string, unknown>>({
        pit: { id: request.pit, keep_alive: request.keepAlive },
        size: request.size,
        query: request.query,
        sort: [{ 'meta.id': 'asc' }],
        track_total_hits: false,
        ...(request.after ? { search_after: request.after as never[] } : {}),
      });
      return {
        pit: answer.pit_id ?? request.pit,
        hits: answer.hits.hits.map((hit) => ({
          id: hit._id as string,
          source: hit._source ?? {},
          sort: hit.sort as unknown[] | undefined,
        })),
      };
    },
    async bulk(body, items) {
      let answer: Awaited<ReturnType<typeof client.bulk>>;
      try {
        answer = await client.bulk({
          operations: body as never,
          filter_path: ['errors', 'items.*.status', 'items.*.error.type', 'items.*.error.reason'],
        });
      } catch (error) {
        const status = statusOf(error);
        if (status === undefined || status === 429 || status >= 500)
          return Array(items).fill({ kind: 'retry' });
        throw error;
      }
      return Array.from({ length: items }, (_, i): ItemResult => {
        const entry = answer.items?.[i];
        const item = entry === undefined ? undefined : Object.values(entry)[0];
        const status = item?.status;
        if (status === undefined || status === 429 || status >= 500) return { kind: 'retry' };
        if (status >= 200 && status < 300) return { kind: 'ok' };
        return {
          kind: 'rejected',
          status,
          reason: `${item?.error?.type ?? ''}: ${item?.error?.reason ?? ''}`,
        };
      });
    },
    async getDocument<T>(index: string, id: string) {
      try {
        const found = await client.get<T>({ index, id });
        if (!found.found || found._source === undefined) return undefined;
        return { doc: found._source, seqNo: found._seq_no ?? 0, primaryTerm: found._primary_term ?? 0 };
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    },
    async putDocument<T>(
      index: string,
      id: string,
      doc: T,
      expected: { seqNo: number; primaryTerm: number } | 'absent',
    ) {
      try {
        const answer = await client.index({
          index,
          id,
          document: doc,
          refresh: false,
          ...(expected === 'absent'
            ? { op_type: 'create' as const }
            : { if_seq_no: expected.seqNo, if_primary_term: expected.primaryTerm }),
        });
        return { doc, seqNo: answer._seq_no ?? 0, primaryTerm: answer._primary_term ?? 0 };
      } catch (error) {
        if (isConflict(error))
          throw new WikistreamError(
            ErrorCode.ReindexInProgress,
            'another re-index changed the run meanwhile',
            {
              cause: error,
            },
          );
        throw error;
      }
    },
    close: () => client.close(),
  };
}
