import { isUtf8 } from 'node:buffer';
import type { EventDocument, RecentChangeEvent } from '@wikistream/shared';

const CLOSE_BRACE = 0x7d;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
const isBlank = (byte: number | undefined) =>
  byte === 0x20 || byte === 0x09 || byte === NEWLINE || byte === RETURN;

/**
 * Pure: the JSON bytes (as fragments, concatenated once into the bulk body) of a document built by
 * the shared `toDocument`. Normally the original record bytes are reused and only the fields the
 * pipeline adds are serialized and spliced in before the closing brace — the event is not
 * serialized again, the indexer's largest CPU cost after parsing. When splicing could change the
 * meaning or break the NDJSON framing (raw newlines, bytes that are not UTF-8, an event field that
 * the document overrides), the whole document is serialized instead. Either way the result parses
 * to the same document.
 */
export function documentSource(value: Buffer, event: RecentChangeEvent, document: EventDocument): Buffer[] {
  const added: Record<string, unknown> = {};
  let count = 0;
  for (const key in document) {
    const field = document[key as keyof EventDocument];
    if (!Object.hasOwn(event, key)) {
      added[key] = field;
      count++;
    } else if (event[key] !== field) return [Buffer.from(JSON.stringify(document))];
  }
  let end = value.length - 1;
  while (end >= 0 && isBlank(value[end])) end--;
  const spliceable =
    count > 0 &&
    value[end] === CLOSE_BRACE &&
    value.indexOf(NEWLINE) === -1 &&
    value.indexOf(RETURN) === -1 &&
    isUtf8(value);
  if (!spliceable) return [Buffer.from(JSON.stringify(document))];
  const json = JSON.stringify(added);
  // Every added field undefined (not serialized): the document is the event as it came.
  if (json === '{}') return [value.subarray(0, end + 1)];
  return [value.subarray(0, end), Buffer.from(`,${json.slice(1)}`)];
}
