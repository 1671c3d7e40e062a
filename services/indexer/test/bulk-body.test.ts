import { describe, expect, it } from 'vitest';
import { bulkBody } from '../src/bulk-body.ts';

describe('bulkBody', () => {
  it('writes one index action line and one document line per action, newline-terminated', () => {
    const body = bulkBody([
      { index: 'p-2026.02.26', id: 'a', source: [Buffer.from('{"x":'), Buffer.from('1}')] },
      { index: 'p-2026.02.27', id: 'b', source: [Buffer.from('{"y":2}')] },
    ]);
    const lines = body.toString().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines.at(-1)).toBe('');
    expect(JSON.parse(lines[0] as string)).toEqual({ index: { _index: 'p-2026.02.26', _id: 'a' } });
    expect(lines[1]).toBe('{"x":1}');
    expect(JSON.parse(lines[2] as string)).toEqual({ index: { _index: 'p-2026.02.27', _id: 'b' } });
  });

  it('escapes ids so an odd meta.id cannot break the NDJSON framing', () => {
    const body = bulkBody([{ index: 'p', id: 'a"b\nc', source: [Buffer.from('{}')] }]);
    const [action] = body.toString().split('\n');
    expect(JSON.parse(action as string).index._id).toBe('a"b\nc');
  });

  it('is empty for no actions', () => {
    expect(bulkBody([]).length).toBe(0);
  });
});
