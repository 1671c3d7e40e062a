import { describe, expect, it } from 'vitest';
import { parseReindexArgs, parseTime } from '../../src/reindex/args.ts';

const now = Date.parse('2026-12-06T12:00:00Z');

describe('reindex arguments', () => {
  it('reads a window of ISO dates and times, ms, or now, a leading -- and the options', () => {
    expect(parseReindexArgs(['--', '--from', '2026-12-04', '--to', 'now'], now)).toEqual({
      from: Date.parse('2026-12-04T00:00:00Z'),
      to: now,
      source: 'elasticsearch',
      dryRun: false,
      keepOld: false,
      abort: false,
      batchSize: 1000,
      help: false,
    });
    const parsed = parseReindexArgs(
      [
        '--from=1796000000000',
        '--to',
        '2026-12-05T10:00:00+01:00',
        '--source',
        'kafka',
        '--keep-old',
        '--dry-run',
      ],
      now,
    );
    expect(parsed).toMatchObject({
      from: 1796000000000,
      to: Date.parse('2026-12-05T09:00:00Z'),
      source: 'kafka',
    });
    expect(parsed).toMatchObject({ keepOld: true, dryRun: true });
  });

  it('refuses what it cannot read, with the config_invalid code and the usage', () => {
    const refused = (argv: string[]) => {
      try {
        parseReindexArgs(argv, now);
      } catch (error) {
        return error as { code: string; message: string };
      }
      throw new Error(`accepted ${argv.join(' ')}`);
    };
    expect(refused(['--from', '2026-12-04']).code).toBe('config_invalid');
    expect(refused(['--from', '2026-12-04', '--to', '2026-12-04']).message).toContain(
      '--from must be before --to',
    );
    expect(refused(['--from', 'yesterday', '--to', 'now']).message).toContain('not a time');
    expect(refused(['--from', '2026-12-04T10:00', '--to', 'now']).message).toContain('no time zone');
    expect(refused(['--from', '2026-12-04', '--to', 'now', '--source', 'disk']).message).toContain(
      '--source',
    );
    expect(refused(['--from', '2026-12-04', '--to', 'now', '--batch-size', '0']).message).toContain(
      '--batch-size',
    );
    expect(refused(['--from', '2026-12-04', '--to', 'now', '--force']).message).toContain(
      'Usage: pnpm reindex',
    );
  });

  it('needs no window to roll back, and none for help', () => {
    expect(parseReindexArgs(['--abort'], now).abort).toBe(true);
    expect(parseReindexArgs(['-h'], now).help).toBe(true);
    expect(parseTime(' now ', now)).toBe(now);
  });
});
