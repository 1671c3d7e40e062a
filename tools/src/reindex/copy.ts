import type { Rejection, WriteAction } from './bulk-writer.ts';
import { writeAll } from './bulk-writer.ts';
import type { ReindexStore } from './store.ts';

/** Where scanned documents go: an index, and how a stored document becomes the one written there. */
export interface Sink {
  readonly index: string;
  readonly transform: (source: Record<string, unknown>) => string;
}

export interface ScanRequest {
  readonly index: string;
  /** What to copy (every document, or those written after a sequence number). */
  readonly query: Record<string, unknown>;
  /** Continue after this meta.id (a resumed copy). */
  readonly after?: string | undefined;
  readonly sinks: readonly Sink[];
  readonly size: number;
  readonly keepAlive: string;
  readonly signal?: AbortSignal;
  /** After each page is written: how many documents, the last meta.id, refused items. */
  readonly onPage?: (page: { copied: number; last: string; rejected: readonly Rejection[] }) => Promise<void>;
}

export interface ScanResult {
  readonly copied: number;
  readonly rejected: readonly Rejection[];
  /** False when stopped by the signal before the end. */
  readonly complete: boolean;
}

/**
 * Copies the documents of `index` matching `query`, in meta.id order, over a point in time, into
 * every sink. Resumable: a new point in time continues after the last meta.id written, and any
 * document written meanwhile with a smaller id is one the catch-up copies (it is newer than the
 * sequence number the copy started from).
 */
export async function scanInto(store: ReindexStore, request: ScanRequest): Promise<ScanResult> {
  const query = request.after
    ? { bool: { filter: [request.query, { range: { 'meta.id': { gt: request.after } } }] } }
    : request.query;
  let pit = await store.openPit(request.index, request.keepAlive);
  let copied = 0;
  const rejected: Rejection[] = [];
  type Page = Awaited<ReturnType<ReindexStore['page']>>;
  const fetch = (after: unknown[] | undefined): Promise<Page> =>
    store.page({ pit, keepAlive: request.keepAlive, query, size: request.size, after });
  try {
    // The next page is read while this one is written: the engine does both at once.
    let next: Promise<Page> | undefined = fetch(undefined);
    for (;;) {
      const page: Page = await (next as Promise<Page>);
      pit = page.pit;
      const last = page.hits.at(-1);
      const full = page.hits.length === request.size;
      next = full && !request.signal?.aborted ? fetch(last?.sort) : undefined;
      // Should writing fail, the page read meanwhile is dropped, not left as an unhandled rejection.
      next?.catch(() => undefined);
      if (page.hits.length > 0) {
        const actions: WriteAction[] = [];
        for (const hit of page.hits)
          for (const sink of request.sinks)
            actions.push({ index: sink.index, id: hit.id, source: sink.transform(hit.source) });
        const refused = await writeAll(store, actions);
        rejected.push(...refused);
        copied += page.hits.length;
        await request.onPage?.({
          copied: page.hits.length,
          last: String(last?.sort?.[0] ?? last?.id ?? ''),
          rejected: refused,
        });
      }
      if (!full) return { copied, rejected, complete: true };
      if (next === undefined || request.signal?.aborted) {
        await next?.catch(() => undefined);
        return { copied, rejected, complete: false };
      }
    }
  } finally {
    await store.closePit(pit);
  }
}
