/** One document to write: `_id = meta.id`, the daily index from `meta.dt`, the document already serialized. */
export interface IndexAction {
  readonly index: string;
  readonly id: string;
  /** The document as JSON text (serialized once, reused on retries). */
  readonly source: string;
}

/**
 * Pure: actions → the NDJSON body of one `_bulk` request. `index` (not `create`) so a redelivered
 * event overwrites its own document instead of failing with a conflict.
 */
export function bulkBody(actions: readonly IndexAction[]): string {
  let body = '';
  for (const action of actions) {
    body += `{"index":{"_index":${JSON.stringify(action.index)},"_id":${JSON.stringify(action.id)}}}\n`;
    body += `${action.source}\n`;
  }
  return body;
}
