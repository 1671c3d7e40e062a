/**
 * EventStreams' wire format and its resume inputs, as KafkaSSE implements them
 * (../shared/design/EVENTSTREAMS.md §1–2): `:ok`, then per message `event: message`, `id:` (a JSON
 * array with one entry per assigned topic-partition, `timestamp` = message time + 1), `data:`.
 */
export interface Assignment {
  readonly topic: string;
  readonly partition: number;
  readonly offset?: number;
  readonly timestamp?: number;
}

export interface Problem {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
}

export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: Problem };

export const OK_COMMENT = ':ok\n\n';

export function formatFrame(event: string, id: string, dataLines: readonly string[]): string {
  let frame = `event: ${event}\nid: ${id}\n`;
  for (const line of dataLines) frame += `data: ${line}\n`;
  return `${frame}\n`;
}

export function formatId(assignments: readonly Assignment[]): string {
  return JSON.stringify(
    assignments.map((a) =>
      a.timestamp !== undefined && a.offset === undefined
        ? { topic: a.topic, partition: a.partition, timestamp: a.timestamp }
        : { topic: a.topic, partition: a.partition, offset: a.offset ?? -1 },
    ),
  );
}

const invalid = (detail: string): Parsed<never> => ({
  ok: false,
  problem: { status: 400, type: 'InvalidAssignmentError', title: 'Invalid assignment', detail },
});

function parseEntry(entry: unknown): Assignment | string {
  if (typeof entry === 'string') return { topic: entry, partition: 0 };
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return 'each assignment must be a topic name or an object';
  }
  const { topic, partition, offset, timestamp } = entry as Record<string, unknown>;
  if (typeof topic !== 'string') return 'assignment topic must be a string';
  if (!Number.isInteger(partition)) return 'assignment partition must be an integer';
  if (offset !== undefined) {
    if (!Number.isInteger(offset)) return 'assignment offset must be an integer';
    return { topic, partition: partition as number, offset: offset as number };
  }
  if (timestamp !== undefined) {
    if (!Number.isInteger(timestamp)) return 'assignment timestamp must be an integer (ms)';
    return { topic, partition: partition as number, timestamp: timestamp as number };
  }
  return 'assignment must have an integer offset or an integer timestamp';
}

/** Last-Event-ID as KafkaSSE reads it: invalid JSON or assignments → 400, foreign topics → 404. */
export function parseLastEventId(header: string, allowedTopics: readonly string[]): Parsed<Assignment[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(header);
  } catch {
    return invalid(`Last-Event-ID is not JSON: ${header.slice(0, 200)}`);
  }
  if (!Array.isArray(parsed)) return invalid('Last-Event-ID must be a JSON array of assignments');
  const assignments: Assignment[] = [];
  for (const entry of parsed) {
    const result = parseEntry(entry);
    if (typeof result === 'string') return invalid(result);
    if (!allowedTopics.includes(result.topic)) {
      return {
        ok: false,
        problem: {
          status: 404,
          type: 'TopicNotAvailableError',
          title: 'Topic not available',
          detail: `topic ${result.topic} is not available in this stream`,
        },
      };
    }
    assignments.push(result);
  }
  return { ok: true, value: assignments };
}

/** `?since=`: integer milliseconds, or anything Date.parse reads; else 400 invalid_timestamp. */
export function parseSince(value: string): Parsed<number> {
  const ms = /^-?\d+$/.test(value.trim()) ? Number(value) : Date.parse(value);
  if (Number.isNaN(ms)) {
    return {
      ok: false,
      problem: {
        status: 400,
        type: 'invalid_timestamp',
        title: 'Invalid timestamp',
        detail: `since=${value} is neither milliseconds nor a date`,
      },
    };
  }
  return { ok: true, value: ms };
}
