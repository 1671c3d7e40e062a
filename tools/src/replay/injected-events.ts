import { createHash } from 'node:crypto';

/**
 * What the replay server can put into its stream besides recorded events: canaries (as Wikimedia
 * sends them) and deliberately broken input for tests. Each kind states the dead-letter reason the
 * producer is expected to give it.
 */
export const EntryKind = {
  Data: 0,
  Canary: 1,
  Malformed: 2,
  InvalidJson: 3,
  MissingMetaId: 4,
  MissingMetaDt: 5,
  WrongType: 6,
  Oversize: 7,
  /** Valid JSON nested deeper than the contract allows (a serialiser's stack killer). */
  TooDeep: 8,
  /** meta.dt years ahead / far behind: each would create a daily index of its own. */
  FarFuture: 9,
  FarPast: 10,
} as const;
export type EntryKind = (typeof EntryKind)[keyof typeof EntryKind];

export const INVALID_KINDS = [
  EntryKind.InvalidJson,
  EntryKind.MissingMetaId,
  EntryKind.MissingMetaDt,
  EntryKind.WrongType,
] as const;

/** Hostile input injected in turn by `hostileEvery`: accepted by no stage, dead-lettered by one. */
export const HOSTILE_KINDS = [EntryKind.TooDeep, EntryKind.FarFuture, EntryKind.FarPast] as const;

/** Nesting of a TooDeep event: far past any depth an index mapping allows. */
export const HOSTILE_DEPTH = 10_000;

/** The DLQ reason code (shared DeadLetterReason values) each broken kind must get. */
export const EXPECTED_REASON: Partial<Record<EntryKind, string>> = {
  [EntryKind.Malformed]: 'malformed_frame',
  [EntryKind.InvalidJson]: 'invalid_json',
  [EntryKind.MissingMetaId]: 'missing_meta_id',
  [EntryKind.MissingMetaDt]: 'missing_meta_dt',
  [EntryKind.WrongType]: 'wrong_type',
  [EntryKind.Oversize]: 'too_large',
  [EntryKind.TooDeep]: 'too_deep',
  [EntryKind.FarFuture]: 'time_out_of_range',
  [EntryKind.FarPast]: 'time_out_of_range',
};

/** A deterministic UUID (version-5 layout) derived from a seed. */
export function derivedUuid(seed: string): string {
  const hex = createHash('sha1').update(seed).digest('hex');
  const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface Position {
  readonly ts: number;
  readonly topic: string;
  readonly offset: number;
}

function meta(kind: string, counter: number, at: Position, domain: string): Record<string, unknown> {
  return {
    uri: `https://${domain}/wiki/Replay_${kind}_${counter}`,
    request_id: derivedUuid(`request:${kind}:${counter}`),
    id: derivedUuid(`${kind}:${counter}`),
    dt: new Date(at.ts).toISOString(),
    domain,
    stream: 'mediawiki.recentchange',
    topic: at.topic,
    partition: 0,
    offset: at.offset,
  };
}

function body(kind: string, counter: number, at: Position, extra: Record<string, unknown> = {}) {
  return {
    $schema: '/mediawiki/recentchange/1.0.0',
    meta: meta(kind, counter, at, 'replay.example.org'),
    type: 'edit',
    namespace: 0,
    title: `Replay ${kind} ${counter}`,
    wiki: 'replaywiki',
    timestamp: Math.floor(at.ts / 1000),
    user: 'Replay',
    bot: false,
    ...extra,
  };
}

/** The `data:` lines of an injected entry (one line, except malformed frames). */
export function renderInjected(kind: EntryKind, counter: number, at: Position): string[] {
  switch (kind) {
    case EntryKind.Canary:
      return [
        JSON.stringify({
          $schema: '/mediawiki/recentchange/1.0.0',
          meta: meta('canary', counter, at, 'canary'),
        }),
      ];
    case EntryKind.Malformed: {
      // EventStreams always writes one data line; a frame split over two lines means broken framing.
      const text = JSON.stringify(body('malformed', counter, at));
      const half = Math.floor(text.length / 2);
      return [text.slice(0, half), text.slice(half)];
    }
    case EntryKind.InvalidJson:
      return [JSON.stringify(body('invalid-json', counter, at)).slice(0, 80)];
    case EntryKind.MissingMetaId: {
      const event = body('missing-id', counter, at);
      delete (event.meta as Record<string, unknown>).id;
      return [JSON.stringify(event)];
    }
    case EntryKind.MissingMetaDt: {
      const event = body('missing-dt', counter, at);
      delete (event.meta as Record<string, unknown>).dt;
      return [JSON.stringify(event)];
    }
    case EntryKind.WrongType:
      return [JSON.stringify(body('wrong-type', counter, at, { bot: 'yes' }))];
    case EntryKind.Oversize:
      return [JSON.stringify(body('oversize', counter, at, { comment: 'x'.repeat(1024 * 1024 + 1) }))];
    case EntryKind.TooDeep: {
      const text = JSON.stringify(body('too-deep', counter, at, { log_params: 'DEPTH' }));
      return [text.replace('"DEPTH"', `${'['.repeat(HOSTILE_DEPTH)}${']'.repeat(HOSTILE_DEPTH)}`)];
    }
    case EntryKind.FarFuture:
    case EntryKind.FarPast: {
      // Valid ISO times, years away from the stream's clock in both directions.
      const future = kind === EntryKind.FarFuture;
      const event = body(future ? 'far-future' : 'far-past', counter, at);
      (event.meta as Record<string, unknown>).dt = future ? '9999-12-31T23:59:59Z' : '1970-01-02T00:00:00Z';
      return [JSON.stringify(event)];
    }
    default:
      throw new Error(`not an injected kind: ${kind}`);
  }
}
