/** One document to write: `_id = meta.id`, the daily index from `meta.dt`, the document already serialized. */
export interface IndexAction {
  readonly index: string;
  readonly id: string;
  /** The document as JSON on one line, in fragments (built once, reused on retries). */
  readonly source: readonly Buffer[];
}

const NEWLINE = Buffer.from('\n');

/**
 * Pure: actions → the NDJSON body of one `_bulk` request. `index` (not `create`) so a redelivered
 * event overwrites its own document instead of failing with a conflict.
 */
export function bulkBody(actions: readonly IndexAction[]): Buffer {
  const parts: Buffer[] = [];
  for (const action of actions) {
    parts.push(
      Buffer.from(
        `{"index":{"_index":${JSON.stringify(action.index)},"_id":${JSON.stringify(action.id)}}}\n`,
      ),
      ...action.source,
      NEWLINE,
    );
  }
  return Buffer.concat(parts);
}
