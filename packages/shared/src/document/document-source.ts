import { isUtf8 } from 'node:buffer';
import type { RecentChangeEvent } from '../event/recentchange.ts';
import { type DerivedFields, hasDerivedFieldName, withDerivedFields } from './to-document.ts';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
const isBlank = (byte: number | undefined) =>
  byte === 0x20 || byte === 0x09 || byte === NEWLINE || byte === RETURN;

/**
 * Pure: the JSON bytes (as fragments, concatenated once into the bulk body) of the document that the
 * shared `toDocument` builds, given the fields it derives (`derivedFields`). Normally the original
 * record bytes are reused and only the derived fields are serialized and spliced in before the
 * closing brace — the event is not serialized again, the indexer's largest CPU cost after parsing.
 * When splicing could change the meaning or break the NDJSON framing (raw newlines, bytes that are
 * not UTF-8, an event field named like a derived one, which the document leaves out), the whole
 * document is serialized instead. Either way the result parses to `toDocument`'s document.
 * Shared, so the indexer and `pnpm reindex` (from Kafka) build the same bytes.
 */
export function documentSource(value: Buffer, event: RecentChangeEvent, derived: DerivedFields): Buffer[] {
  const whole = () => [Buffer.from(JSON.stringify(withDerivedFields(event, derived)))];
  if (hasDerivedFieldName(event)) return whole();
  let end = value.length - 1;
  while (end >= 0 && isBlank(value[end])) end--;
  const spliceable =
    value[end] === CLOSE_BRACE &&
    value.indexOf(NEWLINE) === -1 &&
    value.indexOf(RETURN) === -1 &&
    isUtf8(value);
  if (!spliceable) return whole();
  // An event with no fields of its own ("{}") takes the derived ones without a comma.
  let last = end - 1;
  while (last >= 0 && isBlank(value[last])) last--;
  const fields = JSON.stringify(derived).slice(1);
  return [value.subarray(0, end), Buffer.from(value[last] === OPEN_BRACE ? fields : `,${fields}`)];
}
