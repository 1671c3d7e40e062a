import { EDITOR_KINDS, KNOWN_EVENT_TYPES } from '@wikistream/shared';
import { Type } from 'typebox';
import { LIMITS } from '../limits.ts';

/**
 * Request schemas (query strings and bodies). Lists are comma-separated (`wiki=enwiki,dewiki`);
 * their items are checked again, with a message naming the field, in query/filters.ts.
 */
const types = KNOWN_EVENT_TYPES.join('|');
const listPattern = (item: string, max: number) => `^${item}(,${item}){0,${max - 1}}$`;

export const FIELD_HINTS: Readonly<Record<string, string>> = {
  wiki: `must be a comma-separated list of up to ${LIMITS.listItems} wiki ids such as enwiki`,
  type: `must be a comma-separated list of ${KNOWN_EVENT_TYPES.join(', ')}`,
  namespace: `must be a comma-separated list of up to ${LIMITS.listItems} namespace numbers`,
  from: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-02-26T15:00:00Z',
  to: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-02-26T16:00:00Z',
  cursor: 'must be the nextCursor of a previous page',
  bot: 'must be true or false',
  last: 'must be a number of minutes, hours or days, e.g. 15m, 24h or 7d',
  anonymous: 'must be true or false',
  editorKind: `must be a comma-separated list of ${EDITOR_KINDS.join(', ')}`,
};

const liveFilters = {
  wiki: Type.Optional(
    Type.String({
      pattern: listPattern('[a-z0-9_-]{1,64}', LIMITS.listItems),
      description: 'Wiki ids, comma-separated (enwiki,dewiki)',
      examples: ['enwiki,commonswiki'],
    }),
  ),
  type: Type.Optional(
    Type.String({
      pattern: listPattern(`(${types})`, KNOWN_EVENT_TYPES.length),
      description: `Event types, comma-separated: ${KNOWN_EVENT_TYPES.join(', ')}`,
      examples: ['edit,new'],
    }),
  ),
  bot: Type.Optional(Type.Boolean({ description: 'Only bot (true) or only non-bot (false) changes' })),
  anonymous: Type.Optional(
    Type.Boolean({
      description:
        'Only changes by logged-out editors (true: temporary accounts and IP addresses) or by accounts (false)',
    }),
  ),
  editorKind: Type.Optional(
    Type.String({
      pattern: listPattern(`(${EDITOR_KINDS.join('|')})`, EDITOR_KINDS.length),
      description:
        'Kinds of editor, comma-separated: registered, temporary (a temporary account such as ~2025-12345-67), ip (an IP address), bot (the bot flag wins over the name)',
      examples: ['temporary,ip'],
    }),
  ),
  namespace: Type.Optional(
    Type.String({
      pattern: listPattern('-?[0-9]{1,10}', LIMITS.listItems),
      description: 'Namespace numbers, comma-separated (0,14)',
      examples: ['0'],
    }),
  ),
};

const timeFilters = {
  from: Type.Optional(
    Type.String({ format: 'date-time', description: 'Inclusive lower bound on meta.dt (ISO 8601)' }),
  ),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive upper bound on meta.dt' })),
};

export const LiveQuerySchema = Type.Object(liveFilters);
export const FiltersQuerySchema = Type.Object({ ...liveFilters, ...timeFilters });

export const EventsQuerySchema = Type.Object({
  ...liveFilters,
  ...timeFilters,
  q: Type.Optional(
    Type.String({
      maxLength: LIMITS.queryLength,
      description:
        'Words to find in the title, comment or user name. Supports "phrases", -exclusion and | (or); no wildcards or fuzzy terms.',
    }),
  ),
  size: Type.Optional(
    Type.Integer({ minimum: 1, maximum: LIMITS.pageSize, default: 50, description: 'Events per page' }),
  ),
  cursor: Type.Optional(
    Type.String({
      maxLength: LIMITS.cursorLength,
      pattern: '^[A-Za-z0-9_-]+$',
      description: 'The nextCursor of the previous page',
    }),
  ),
  format: Type.Optional(
    Type.Union([Type.Literal('json'), Type.Literal('ndjson'), Type.Literal('csv')], {
      default: 'json',
      description: 'json: one page; ndjson or csv: a streamed export of every match, up to a cap',
    }),
  ),
});

export const StatsQuerySchema = Type.Object({
  ...liveFilters,
  ...timeFilters,
  last: Type.Optional(
    Type.String({
      pattern: '^[1-9][0-9]{0,3}[mhd]$',
      description:
        'A range ending now, resolved by the server (e.g. 15m, 1h, 24h, 7d); instead of from/to. Every client asking for the same window shares one answer.',
      examples: ['24h'],
    }),
  ),
  top: Type.Optional(
    Type.Integer({ minimum: 1, maximum: LIMITS.topItems, default: 10, description: 'Length of top lists' }),
  ),
});

export const TrendingQuerySchema = Type.Object({
  ...liveFilters,
  ...timeFilters,
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: LIMITS.topItems, default: 10, description: 'Items per list' }),
  ),
});

export const DeadLetterQuerySchema = Type.Object({
  reason: Type.Optional(Type.String({ pattern: '^[a-z_]{1,64}$', description: 'Only this reason' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.deadLetterEntries, default: 50 })),
});

export const RedriveBodySchema = Type.Object(
  {
    partition: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    fromOffset: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$', description: 'First DLQ offset' })),
    reason: Type.Optional(Type.String({ pattern: '^[a-z_]{1,64}$', description: 'Only this reason' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.redriveMax, default: 100 })),
  },
  { additionalProperties: false },
);
