/** One item of a `_bulk` response, as Elasticsearch sends it (only the parts read here). */
export interface BulkResponseItem {
  readonly status?: number;
  readonly error?: { readonly type?: string; readonly reason?: string | null; readonly caused_by?: unknown };
}

export type ItemOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'retry'; readonly status: number; readonly detail: string }
  | { readonly kind: 'reject'; readonly status: number; readonly detail: string };

/**
 * Pure: what to do with an item of a given HTTP status. 429 and 5xx are the engine being busy or
 * unwell, and so are answers without a status; any other 4xx (mapping or parse errors, a blocked
 * index) will fail the same way again and goes to the dead-letter queue.
 */
export function statusOutcome(status: number | undefined): ItemOutcome['kind'] {
  if (status === undefined || !Number.isInteger(status)) return 'retry';
  if (status >= 200 && status < 300) return 'ok';
  if (status === 429 || status >= 500 || status < 200) return 'retry';
  return 'reject';
}

/**
 * Pure: the bulk response's items → one outcome per request item, in request order. Items the
 * response does not cover (a truncated or odd response) are retried, never assumed indexed.
 */
export function classifyBulkItems(
  items: readonly Record<string, BulkResponseItem | undefined>[] | undefined,
  count: number,
): ItemOutcome[] {
  const outcomes: ItemOutcome[] = [];
  for (let i = 0; i < count; i++) {
    const entry = items?.[i];
    const item = entry === undefined ? undefined : Object.values(entry)[0];
    const status = item?.status;
    const kind = item === undefined ? 'retry' : statusOutcome(status);
    if (kind === 'ok') outcomes.push({ kind });
    else outcomes.push({ kind, status: status ?? 0, detail: describeItemError(item) });
  }
  return outcomes;
}

function describeItemError(item: BulkResponseItem | undefined): string {
  if (item === undefined) return 'no item in the bulk response';
  const { type, reason, caused_by } = item.error ?? {};
  const cause = caused_by === undefined ? '' : ` (caused by ${JSON.stringify(caused_by)})`;
  if (type === undefined && reason === undefined) return `status ${item.status ?? 'missing'}`;
  return `${type ?? 'error'}: ${reason ?? ''}${cause}`;
}
