/** One document to write: `_id = meta.id`, the daily index from `meta.dt`, the document already serialized. */
export interface IndexAction {
  readonly index: string;
  readonly id: string;
  /** The document as JSON on one line, in fragments (built once, reused on retries). */
  readonly source: readonly Buffer[];
}

const NEWLINE = 0x0a;

/**
 * Pure: actions → the NDJSON body of one `_bulk` request, written into a single buffer. `index` (not
 * `create`) so a redelivered event overwrites its own document instead of failing with a conflict.
 */
export function bulkBody(actions: readonly IndexAction[]): Buffer {
  const lines = actions.map(
    (action) => `{"index":{"_index":${JSON.stringify(action.index)},"_id":${JSON.stringify(action.id)}}}\n`,
  );
  let size = 0;
  actions.forEach((action, i) => {
    size += Buffer.byteLength(lines[i] as string) + 1;
    for (const fragment of action.source) size += fragment.length;
  });
  const body = Buffer.allocUnsafe(size);
  let offset = 0;
  actions.forEach((action, i) => {
    offset += body.write(lines[i] as string, offset);
    for (const fragment of action.source) offset += fragment.copy(body, offset);
    body[offset++] = NEWLINE;
  });
  return body;
}
