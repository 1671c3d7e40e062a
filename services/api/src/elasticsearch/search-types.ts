/** The parts of Elasticsearch search requests and answers the api uses, as plain types. */
export interface SearchHit<T = Record<string, unknown>> {
  _id: string;
  _index: string;
  _source?: T;
  sort?: unknown[];
}

export interface SearchResponse<T = Record<string, unknown>> {
  took: number;
  hits: { total?: { value: number; relation: 'eq' | 'gte' } | number; hits: SearchHit<T>[] };
  aggregations?: Record<string, unknown>;
}

export interface SearchRequest {
  /** An index name or pattern. */
  index: string;
  body: Record<string, unknown>;
}

/** The one door to Elasticsearch (implemented in search-port.ts). */
export interface SearchPort {
  search<T = Record<string, unknown>>(request: SearchRequest): Promise<SearchResponse<T>>;
  count(request: SearchRequest): Promise<number>;
  /** True when the cluster answers. */
  ping(): Promise<boolean>;
  /** Writes (the api's own rollup indices only). */
  putIndexTemplate(name: string, body: Record<string, unknown>): Promise<void>;
  /** Index operations (action/document pairs); throws when any item fails. */
  bulk(operations: readonly unknown[]): Promise<void>;
  refresh(index: string): Promise<void>;
  /** Names of the indices matching a pattern. */
  /** The indices a pattern, name or alias names; none when it names nothing. */
  listIndices(pattern: string): Promise<string[]>;
  deleteIndices(names: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** Aggregation answers, as far as the api reads them. */
export interface Bucket {
  key: string | number;
  key_as_string?: string;
  doc_count: number;
  [sub: string]: unknown;
}
export interface BucketsAgg {
  buckets: Bucket[];
  sum_other_doc_count?: number;
}
export interface ValueAgg {
  value: number | null;
  value_as_string?: string;
}
