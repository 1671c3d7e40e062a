import { describe, expect, it } from 'vitest';
import {
  DRIFT_MAPPING,
  driftIndexName,
  driftIndexPattern,
  driftTemplate,
  indexPattern,
  indexTemplate,
} from '../../src/index.ts';

/** Whether an index pattern with one trailing `*` matches a name. */
const matches = (pattern: string, name: string) => name.startsWith(pattern.slice(0, -1));

describe('the drift index family', () => {
  it('names one index per UTC day, which the data pattern and template do not match', () => {
    const name = driftIndexName('wikimedia-recentchange', Date.parse('2026-02-26T23:59:59.999Z'));
    expect(name).toBe('wikimedia-recentchange_drift-2026.02.26');
    expect(matches(driftIndexPattern('wikimedia-recentchange'), name)).toBe(true);
    expect(matches(indexPattern('wikimedia-recentchange'), name)).toBe(false);
    for (const pattern of indexTemplate({ prefix: 'wikimedia-recentchange' }).index_patterns)
      expect(matches(pattern, name)).toBe(false);
  });

  it('has an explicit mapping that maps nothing dynamically', () => {
    expect(DRIFT_MAPPING.dynamic).toBe(false);
    expect(driftTemplate('p').template.mappings).toBe(DRIFT_MAPPING);
    expect(driftTemplate('p').index_patterns).toEqual(['p_drift-*']);
  });
});
