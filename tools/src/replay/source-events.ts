import { readFileSync } from 'node:fs';
import { compileTemplate, type EventTemplate } from './event-template.ts';

/** One recorded event, ready to be served again and again. */
export interface SourceEvent {
  readonly template: EventTemplate;
  readonly originalId: string;
  /** Milliseconds after the previous recorded event (clamped), for `--speed` pacing. */
  readonly delayMs: number;
}

export interface LoadedSource {
  readonly events: readonly SourceEvent[];
  /** Lines that were not JSON objects with meta.id and meta.dt; they are not served. */
  readonly skipped: number;
}

/** Longer pauses in a recording (between files, or a quiet night) are shortened to this. */
export const MAX_RECORDED_PAUSE_MS = 5_000;

/** Reads NDJSON files (one recentchange event per line) in the order given. */
export function loadSource(files: readonly string[]): LoadedSource {
  return parseSource(files.map((file) => readFileSync(file, 'utf8')));
}

export function parseSource(texts: readonly string[]): LoadedSource {
  const events: SourceEvent[] = [];
  let skipped = 0;
  let previousMs: number | undefined;
  for (const text of texts) {
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const event = parseEvent(line);
      if (!event) {
        skipped++;
        continue;
      }
      const meta = event.meta as { id: string; dt: string };
      const ms = Date.parse(meta.dt);
      const gap = previousMs === undefined ? 0 : ms - previousMs;
      events.push({
        template: compileTemplate(event),
        originalId: meta.id,
        delayMs: Math.min(Math.max(gap, 0), MAX_RECORDED_PAUSE_MS),
      });
      previousMs = ms;
    }
  }
  return { events, skipped };
}

function parseEvent(line: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(line) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const meta = (value as { meta?: unknown }).meta as Record<string, unknown> | undefined;
    if (typeof meta?.id !== 'string' || typeof meta.dt !== 'string' || Number.isNaN(Date.parse(meta.dt))) {
      return undefined;
    }
    return value as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
