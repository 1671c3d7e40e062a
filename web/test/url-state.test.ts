import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, decodeState, encodeState, hasFilters, type ViewState } from '../src/url-state.ts';

describe('view state in the URL', () => {
  it('gives the default view for an empty query string', () => {
    expect(decodeState('')).toEqual(DEFAULT_STATE);
    expect(encodeState(DEFAULT_STATE)).toBe('');
  });

  it('round-trips every filter, the range, the query and the refresh period', () => {
    const state: ViewState = {
      range: 'custom',
      from: '2026-01-02T03:04:00.000Z',
      to: '2026-01-02T05:00:00.000Z',
      wiki: ['enwiki', 'commonswiki'],
      type: ['edit', 'new'],
      editorKind: ['temporary', 'ip'],
      namespace: [0, 14],
      q: 'Floresti & Moldova',
      refresh: 60,
    };
    const encoded = encodeState(state);
    expect(decodeState(encoded)).toEqual(state);
    expect(decodeState(`?${encoded}`)).toEqual(state);
  });

  it('writes lists comma-separated, the way the API reads them', () => {
    const query = encodeState({ ...DEFAULT_STATE, wiki: ['enwiki', 'dewiki'], namespace: [0, 1] });
    expect(query).toBe('wiki=enwiki%2Cdewiki&namespace=0%2C1');
  });

  it('drops values that do not parse instead of failing', () => {
    const state = decodeState(
      'range=2y&wiki=en wiki,<script>,DEWIKI,de.wiki&type=edit,bogus&editorKind=ip,anon,IP,bot&namespace=0,x,-7,14&refresh=7',
    );
    expect(state.range).toBe('1h');
    expect(state.wiki).toEqual(['dewiki']);
    expect(state.type).toEqual(['edit']);
    expect(state.editorKind).toEqual(['ip', 'bot']);
    expect(state.namespace).toEqual([0, 14]);
    expect(state.refresh).toBe(DEFAULT_STATE.refresh);
  });

  it('falls back to the default range when a custom range is missing a bound or is reversed', () => {
    expect(decodeState('range=custom&from=2026-01-02T00:00:00Z').range).toBe('1h');
    expect(decodeState('range=custom&from=2026-01-02T05:00:00Z&to=2026-01-02T04:00:00Z').range).toBe('1h');
  });

  it('keeps custom bounds out of the URL for preset ranges', () => {
    const query = encodeState({ ...DEFAULT_STATE, range: '24h', from: '2026-01-01T00:00:00.000Z', to: null });
    expect(query).toBe('range=24h');
  });

  it('removes duplicates and caps long lists and queries', () => {
    const wikis = Array.from({ length: 50 }, (_, i) => `wiki${i}`).join(',');
    const state = decodeState(`wiki=enwiki,enwiki,${wikis}&q=${'a'.repeat(900)}`);
    expect(state.wiki[0]).toBe('enwiki');
    expect(state.wiki.filter((w) => w === 'enwiki')).toHaveLength(1);
    expect(state.wiki).toHaveLength(20);
    expect(state.q).toHaveLength(200);
  });

  it('tells whether any filter is set', () => {
    expect(hasFilters(DEFAULT_STATE)).toBe(false);
    expect(hasFilters({ ...DEFAULT_STATE, q: 'x', range: '7d' })).toBe(false);
    expect(hasFilters({ ...DEFAULT_STATE, editorKind: ['bot'] })).toBe(true);
  });
});

describe('the kinds of editor in the URL', () => {
  it('writes any combination of the four kinds as one comma list, in one order', () => {
    expect(encodeState({ ...DEFAULT_STATE, editorKind: ['temporary', 'ip'] })).toBe(
      'editorKind=temporary%2Cip',
    );
    expect(decodeState('editorKind=bot,registered,bot').editorKind).toEqual(['registered', 'bot']);
    expect(decodeState('editorKind=registered,temporary,ip,bot').editorKind).toEqual([
      'registered',
      'temporary',
      'ip',
      'bot',
    ]);
    expect(decodeState('editorKind=').editorKind).toEqual([]);
  });

  it('opens an older URL’s anonymous filter as the kinds it meant, and never writes it again', () => {
    const loggedOut = decodeState('anonymous=true');
    expect(loggedOut.editorKind).toEqual(['temporary', 'ip']);
    expect(encodeState(loggedOut)).toBe('editorKind=temporary%2Cip');
    expect(decodeState('anonymous=false').editorKind).toEqual(['registered', 'bot']);
    expect(decodeState('anonymous=maybe').editorKind).toEqual([]);
  });

  it('opens an older URL’s bot filter as kinds too, combined with its anonymous filter', () => {
    expect(decodeState('bot=true').editorKind).toEqual(['bot']);
    expect(decodeState('bot=false').editorKind).toEqual(['registered', 'temporary', 'ip']);
    expect(decodeState('bot=false&anonymous=false').editorKind).toEqual(['registered']);
    expect(decodeState('bot=false&anonymous=true').editorKind).toEqual(['temporary', 'ip']);
    // No bot is logged out: nothing is left, and no kinds shows every kind.
    expect(decodeState('bot=true&anonymous=true').editorKind).toEqual([]);
    expect(encodeState(decodeState('wiki=enwiki&bot=false'))).toBe(
      'wiki=enwiki&editorKind=registered%2Ctemporary%2Cip',
    );
  });

  it('prefers editorKind over the older filters when a URL has both', () => {
    expect(decodeState('editorKind=registered&anonymous=true&bot=true').editorKind).toEqual(['registered']);
  });
});
