import { describe, expect, it } from 'vitest';
import { dayLayouts, nextVersionName } from '../../src/reindex/layout.ts';
import { swapActions } from '../../src/reindex/swap-actions.ts';
import { daysInWindow } from '../../src/reindex/window.ts';

describe('the days of a window, where they stand, and their swap', () => {
  it('takes every UTC day the window touches, whole', () => {
    expect(daysInWindow(Date.parse('2026-12-04T23:00:00Z'), Date.parse('2026-12-06T00:00:00Z'))).toEqual([
      '2026.12.04',
      '2026.12.05',
    ]);
    expect(daysInWindow(Date.parse('2026-12-06T10:00:00Z'), Date.parse('2026-12-06T10:00:01Z'))).toEqual([
      '2026.12.06',
    ]);
  });

  it('finds each day its current version: the plain index, or the write index of the day name', () => {
    const layouts = dayLayouts('p', ['2026.12.03', '2026.12.04', '2026.12.05', '2026.12.06'], {
      'p-2026.12.03': { aliases: { p: {} } },
      'p-2026.12.04-v1': { aliases: {} },
      'p-2026.12.04-v2': { aliases: {} },
      'p-2026.12.04-v3': { aliases: { p: {}, 'p-2026.12.04': { is_write_index: true } } },
      'p-2026.12.05-v2': { aliases: {} },
      'p-2026.12.05': { aliases: { p: {} } },
      'p-2026.12.06-x': { aliases: {} },
      p_reindex: {},
    });
    expect(layouts).toEqual([
      { day: '2026.12.03', current: 'p-2026.12.03', plain: true, versions: [1] },
      { day: '2026.12.04', current: 'p-2026.12.04-v3', plain: false, versions: [1, 2, 3] },
      // A version left from a run that was rolled back: the plain index is still current.
      { day: '2026.12.05', current: 'p-2026.12.05', plain: true, versions: [1, 2] },
      { day: '2026.12.06', current: undefined, plain: false, versions: [] },
    ]);
    expect(layouts.map((layout) => nextVersionName('p', layout))).toEqual([
      'p-2026.12.03-v2',
      'p-2026.12.04-v4',
      'p-2026.12.05-v3',
      'p-2026.12.06-v2',
    ]);
  });

  it('swaps a plain day by deleting its index in the same call that makes its name an alias', () => {
    expect(
      swapActions({
        prefix: 'p',
        dayName: 'p-2026.12.05',
        current: 'p-2026.12.05',
        plain: true,
        target: 'p-2026.12.05-v2',
      }),
    ).toEqual([
      { add: { index: 'p-2026.12.05-v2', alias: 'p' } },
      { remove_index: { index: 'p-2026.12.05' } },
      { add: { index: 'p-2026.12.05-v2', alias: 'p-2026.12.05', is_write_index: true } },
    ]);
  });

  it('swaps a rebuilt day by moving both aliases, keeping the old version for deletion or keeping', () => {
    expect(
      swapActions({
        prefix: 'p',
        dayName: 'p-2026.12.05',
        current: 'p-2026.12.05-v2',
        plain: false,
        target: 'p-2026.12.05-v3',
      }),
    ).toEqual([
      { add: { index: 'p-2026.12.05-v3', alias: 'p' } },
      { remove: { index: 'p-2026.12.05-v2', alias: 'p' } },
      { remove: { index: 'p-2026.12.05-v2', alias: 'p-2026.12.05' } },
      { add: { index: 'p-2026.12.05-v3', alias: 'p-2026.12.05', is_write_index: true } },
    ]);
  });
});
