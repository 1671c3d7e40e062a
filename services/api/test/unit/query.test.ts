import { describe, expect, it } from 'vitest';
import { ApiHttpError } from '../../src/http/api-error.ts';
import { errorAnswer } from '../../src/http/error-handler.ts';
import { decodeCursor, encodeCursor } from '../../src/query/cursor.ts';
import { csvCell, csvLine } from '../../src/query/export-lines.ts';
import { parseFilters, resolveRange } from '../../src/query/filters.ts';
import { fitInterval } from '../../src/query/interval.ts';
import { splitPeriod } from '../../src/query/stats-query.ts';
import { toSummary } from '../../src/query/to-summary.ts';

describe('cursors', () => {
  it('round-trip the sort values of the last event', () => {
    const cursor = encodeCursor([1_772_120_976_569, 'a1b2-c3']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual([1_772_120_976_569, 'a1b2-c3']);
  });

  it('refuse anything that is not a cursor the api made', () => {
    for (const forged of [
      '',
      '!!',
      Buffer.from('[1.5,"x"]').toString('base64url'),
      Buffer.from('[1,""]').toString('base64url'),
      Buffer.from('{"a":1}').toString('base64url'),
      'A'.repeat(600),
    ])
      expect(decodeCursor(forged)).toBeUndefined();
  });
});

describe('filters', () => {
  it('split comma-separated lists and drop repeats', () => {
    expect(
      parseFilters({ wiki: 'enwiki,dewiki,enwiki', type: 'edit', namespace: '0,14', bot: false }),
    ).toEqual({
      wikis: ['enwiki', 'dewiki'],
      types: ['edit'],
      namespaces: [0, 14],
      bot: false,
    });
  });

  it('name the field when a range or a namespace is impossible', () => {
    expect(() => parseFilters({ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' })).toThrow(
      expect.objectContaining({ field: 'from', statusCode: 400 }),
    );
    expect(() => parseFilters({ namespace: '9999999999' })).toThrow(
      expect.objectContaining({ field: 'namespace' }),
    );
  });

  it('default to the hour before now, or before `to`', () => {
    expect(resolveRange({}, 10_000_000, 3_600_000)).toEqual({ from: 6_400_000, to: 10_000_000 });
    expect(resolveRange({ to: 5_000_000 }, 10_000_000, 3_600_000)).toEqual({
      from: 1_400_000,
      to: 5_000_000,
    });
  });
});

describe('series intervals', () => {
  it('fit at most 120 buckets to a range', () => {
    expect(fitInterval(3_600_000).name).toBe('1m');
    expect(fitInterval(24 * 3_600_000).name).toBe('15m');
    expect(fitInterval(7 * 24 * 3_600_000).name).toBe('3h');
  });
});

describe('switching between rollups and raw documents', () => {
  const coverage = { from: 0, to: 100 * 60_000 };
  it('reads whole rolled-up minutes from rollups and the ragged edges raw', () => {
    expect(splitPeriod(30_500, 50 * 60_000 + 10, coverage)).toEqual({
      core: { from: 60_000, to: 50 * 60_000 },
      edges: [
        { from: 30_500, to: 60_000 },
        { from: 50 * 60_000, to: 50 * 60_000 + 10 },
      ],
    });
  });

  it('reads short ranges, and minutes not rolled up yet, raw', () => {
    expect(splitPeriod(0, 5 * 60_000, coverage)).toEqual({ edges: [{ from: 0, to: 5 * 60_000 }] });
    expect(splitPeriod(95 * 60_000, 200 * 60_000, coverage).core).toBeUndefined();
    expect(splitPeriod(0, 200 * 60_000, undefined)).toEqual({ edges: [{ from: 0, to: 200 * 60_000 }] });
  });
});

describe('exports', () => {
  it('quote CSV cells and defuse spreadsheet formulas in untrusted text', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,"b"\nc')).toBe('"a,""b""\nc"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell(-431)).toBe('-431');
    expect(csvCell(null)).toBe('');
  });

  it('write one CSV row per event with the revision split in two columns', () => {
    const summary = toSummary({
      meta: { id: 'x', dt: '2026-02-26T15:49:36.569Z' },
      type: 'edit',
      title: 'T',
      revision: { old: 1, new: 2 },
    });
    expect(csvLine(summary)).toBe(
      'x,2026-02-26T15:49:36.569Z,,edit,,T,,false,false,registered,,,,,,,1,2\r\n',
    );
  });
});

describe('summaries', () => {
  it('normalise legacy times, derive anonymity and cut very long comments', () => {
    const summary = toSummary({
      meta: { id: 'e', dt: '2018-03-07T16:16:17+00:00' },
      user: '2001:db8::1',
      comment: 'c'.repeat(5_000),
      length: { old: 10, new: 4 },
      type: 'edit',
    });
    expect(summary.dt).toBe('2018-03-07T16:16:17.000Z');
    expect(summary.anonymous).toBe(true);
    expect(summary.byteDelta).toBe(-6);
    expect(summary.comment).toHaveLength(2_001);
    expect(summary.editorKind).toBe('ip');
  });

  it('show a temporary account as temporary and logged out, from the stored kind or from the name', () => {
    const base = { meta: { id: 'e', dt: '2026-02-26T15:49:36.569Z' }, type: 'edit' };
    const stored = toSummary({
      ...base,
      user: '~2025-12345-67',
      editor_kind: 'temporary',
      is_anonymous: true,
    });
    expect(stored).toMatchObject({ editorKind: 'temporary', anonymous: true });
    // Indexed before editor kinds: is_anonymous said false; the name says what it is.
    const older = toSummary({ ...base, user: '~2025-123456', is_anonymous: false });
    expect(older).toMatchObject({ editorKind: 'temporary', anonymous: true });
    expect(toSummary({ ...base, user: '~2025-123456', bot: true })).toMatchObject({
      editorKind: 'bot',
      anonymous: true,
    });
    expect(toSummary({ ...base, user: 'Ann' })).toMatchObject({ editorKind: 'registered', anonymous: false });
  });
});

describe('error answers', () => {
  it('never show internals in a 5xx', () => {
    const answer = errorAnswer(new Error('connect ECONNREFUSED 10.0.0.1:9200 at Socket.foo (/src/x.ts:1:2)'));
    expect(answer).toEqual({ status: 500, body: { code: 'internal', message: 'Internal error' } });
  });

  it('name the first invalid field of a validation error', () => {
    const error = Object.assign(new Error('bad'), {
      validation: [{ instancePath: '/size', keyword: 'maximum', message: 'must be <= 100', params: {} }],
      validationContext: 'querystring',
    });
    expect(errorAnswer(error)).toEqual({
      status: 400,
      body: { code: 'invalid_parameter', message: 'size must be <= 100', field: 'size' },
    });
    expect(errorAnswer(new ApiHttpError(503, 'kafka_unavailable', 'down')).status).toBe(503);
  });
});
