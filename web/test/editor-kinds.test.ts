import { EDITOR_KINDS as API_EDITOR_KINDS } from '@wikistream/shared';
import { describe, expect, it } from 'vitest';
import { EDITOR_KIND_BADGES, EDITOR_KIND_LABELS, EDITOR_KINDS, isEditorKind } from '../src/editor-kinds.ts';

describe('kinds of editor', () => {
  it('are the API’s four kinds, in the API’s order', () => {
    expect(EDITOR_KINDS).toEqual([...API_EDITOR_KINDS]);
  });

  it('have a badge for temporary accounts, IP addresses and bots, and none for registered accounts', () => {
    expect(EDITOR_KINDS.map((kind) => EDITOR_KIND_BADGES[kind]?.text ?? null)).toEqual([
      null,
      'temp',
      'IP',
      'bot',
    ]);
  });

  it('never name a temporary account or an IP address as registered', () => {
    expect(EDITOR_KIND_LABELS.temporary).toBe('Temporary accounts');
    expect(EDITOR_KIND_LABELS.ip).toBe('IP addresses');
    expect(new Set(Object.values(EDITOR_KIND_LABELS)).size).toBe(4);
  });

  it('tell a known kind from anything else', () => {
    expect(isEditorKind('temporary')).toBe(true);
    for (const value of ['anonymous', 'human', 'IP', '', null, undefined, 3]) {
      expect(isEditorKind(value), String(value)).toBe(false);
    }
  });
});
