import { describe, expect, it } from 'vitest';
import { EVENT_MAPPING, isDerivedFieldName, KNOWN_EVENT_FIELDS } from '../../src/index.ts';
import { fixtureLines } from '../fixtures.ts';

describe('KNOWN_EVENT_FIELDS', () => {
  it('holds the fields the classifier checks and those checked on their own', () => {
    for (const field of ['$schema', 'meta', 'length', 'revision', 'log_params', 'title_url', 'wiki'])
      expect(KNOWN_EVENT_FIELDS.has(field), field).toBe(true);
  });

  it('holds every top-level field of the recorded events, old and new', () => {
    const unknown = new Set<string>();
    for (const { text } of fixtureLines()) {
      const event = JSON.parse(text) as Record<string, unknown>;
      for (const key of Object.keys(event)) if (!KNOWN_EVENT_FIELDS.has(key)) unknown.add(key);
    }
    expect([...unknown]).toEqual([]);
  });

  it('leaves out what the pipeline derives, and all but $schema are in the event mapping', () => {
    for (const field of KNOWN_EVENT_FIELDS) expect(isDerivedFieldName(field), field).toBe(false);
    const mapped = new Set(Object.keys(EVENT_MAPPING.properties));
    expect([...KNOWN_EVENT_FIELDS].filter((field) => !mapped.has(field))).toEqual(['$schema']);
  });
});
