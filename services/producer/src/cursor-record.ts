import type { WindowState } from './dedupe-window.ts';

/**
 * The value written to the compacted cursor topic (key = PRODUCER_ID) in the same transaction as
 * each batch: the SSE id of the batch's last event and the dedupe window at that point, and whose
 * position it is (the upstream stream and the data topic). Records written before the owner was
 * recorded have no `owner`.
 */
export interface CursorRecord {
  readonly version: 1;
  readonly sseId: string;
  readonly window: WindowState;
  readonly producerVersion: string;
  readonly committedAt: number;
  readonly owner?: CursorOwner | undefined;
}

/** The configuration a cursor position belongs to. */
export interface CursorOwner {
  /** The upstream stream URL, without credentials. */
  readonly stream: string;
  /** The data topic the events went to. */
  readonly topic: string;
}

export function encodeCursor(record: CursorRecord): Buffer {
  const { completeFrom, keys, timestamps } = record.window;
  // Timestamps relative to completeFrom keep the record small.
  return Buffer.from(
    JSON.stringify({
      version: record.version,
      sseId: record.sseId,
      producerVersion: record.producerVersion,
      committedAt: record.committedAt,
      ...(record.owner ? { stream: record.owner.stream, topic: record.owner.topic } : {}),
      window: { completeFrom, keys, deltas: timestamps.map((ts) => ts - completeFrom) },
    }),
  );
}

export function decodeCursor(value: Buffer | string | null | undefined): CursorRecord | undefined {
  if (value === null || value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value.toString()) as {
      version?: unknown;
      sseId?: unknown;
      producerVersion?: unknown;
      committedAt?: unknown;
      stream?: unknown;
      topic?: unknown;
      window?: { completeFrom?: unknown; keys?: unknown; deltas?: unknown };
    };
    const window = parsed.window;
    if (parsed.version !== 1 || typeof parsed.sseId !== 'string' || !window) return undefined;
    const { completeFrom, keys, deltas } = window;
    if (typeof completeFrom !== 'number' || !Array.isArray(keys) || !Array.isArray(deltas)) return undefined;
    if (keys.length !== deltas.length || !keys.every((k) => typeof k === 'string')) return undefined;
    if (!deltas.every((d) => typeof d === 'number')) return undefined;
    return {
      version: 1,
      sseId: parsed.sseId,
      producerVersion: String(parsed.producerVersion ?? ''),
      committedAt: Number(parsed.committedAt ?? 0),
      owner:
        typeof parsed.stream === 'string' && typeof parsed.topic === 'string'
          ? { stream: parsed.stream, topic: parsed.topic }
          : undefined,
      window: { completeFrom, keys, timestamps: (deltas as number[]).map((d) => d + completeFrom) },
    };
  } catch {
    return undefined;
  }
}
