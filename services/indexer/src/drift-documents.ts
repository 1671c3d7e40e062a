import { createHash } from 'node:crypto';
import { DRIFT_KINDS, type DriftDocument, driftIndexName } from '@wikistream/shared';
import type { DriftSnapshot } from './drift-counter.ts';

const DAY_MS = 86_400_000;

/** One write of a flush: `index` overwrites (counters), `create` keeps what is there (first-seen). */
export interface DriftOperation {
  readonly op: 'index' | 'create';
  readonly index: string;
  readonly id: string;
  readonly document: DriftDocument;
}

export interface DriftWrites {
  readonly operations: readonly DriftOperation[];
  /** The first-seen keys (see firstSeenKey) the operations create: once stored, not sent again. */
  readonly firstSeenKeys: readonly string[];
}

/** A document id from its parts: fixed length and safe whatever the schema or field name holds. */
function documentId(...parts: readonly (string | number)[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url');
}

/** The same field, of the same schema, on the same UTC day: one first-seen document per indexer. */
export function firstSeenKey(day: number, schema: string, field: string): string {
  return `${day}\u0000${schema}\u0000${field}`;
}

/**
 * Pure: a snapshot → the documents that store it. Counters are documents per member, minute, schema
 * (and field), with ids made of those, written with `index`: flushing the same minute again, after
 * a retry or with a larger count, overwrites its own documents, so nothing is ever counted twice.
 * Each field's first sighting of the day is a `create` in that day's index, its id made of schema,
 * field and member: the first write stays, and as every member's first write holds its earliest
 * sighting, the earliest time over the members is the minimum the api reads. (Without the member
 * in the id, whichever member flushed first would win, even with a later time.) `written` holds the
 * keys already stored, which are not sent again.
 */
export function driftWrites(
  snapshot: DriftSnapshot,
  member: string,
  prefix: string,
  written: ReadonlySet<string> = new Set(),
): DriftWrites {
  const operations: DriftOperation[] = [];
  const firstSeen = new Map<string, { day: number; schema: string; field: string; at: number }>();
  for (const { start, schemas } of snapshot.minutes) {
    const index = driftIndexName(prefix, start);
    const minute = new Date(start).toISOString();
    const counter = (kind: DriftDocument['kind'], schema: string, count: number, field?: string) =>
      operations.push({
        op: 'index',
        index,
        id: documentId(kind, member, start, schema, field ?? ''),
        document: { kind, member, schema, minute, count, ...(field === undefined ? {} : { field }) },
      });
    for (const { schema, events, fields, otherFields } of schemas) {
      counter(DRIFT_KINDS.events, schema, events);
      if (otherFields > 0) counter(DRIFT_KINDS.otherFields, schema, otherFields);
      for (const { name, count, firstSeen: at } of fields) {
        counter(DRIFT_KINDS.field, schema, count, name);
        const day = at - (at % DAY_MS);
        const key = firstSeenKey(day, schema, name);
        const earlier = firstSeen.get(key);
        if (!written.has(key) && (earlier === undefined || at < earlier.at))
          firstSeen.set(key, { day, schema, field: name, at });
      }
    }
  }
  for (const { day, schema, field, at } of firstSeen.values()) {
    operations.push({
      op: 'create',
      index: driftIndexName(prefix, day),
      id: documentId(DRIFT_KINDS.firstSeen, member, schema, field),
      document: {
        kind: DRIFT_KINDS.firstSeen,
        member,
        schema,
        field,
        first_seen: new Date(at).toISOString(),
      },
    });
  }
  return { operations, firstSeenKeys: [...firstSeen.keys()] };
}

/** Pure: the operations as the NDJSON body of one `_bulk` request. */
export function driftBulkBody(operations: readonly DriftOperation[]): Buffer {
  const lines = operations.map(
    ({ op, index, id, document }) =>
      `${JSON.stringify({ [op]: { _index: index, _id: id } })}\n${JSON.stringify(document)}\n`,
  );
  return Buffer.from(lines.join(''));
}
