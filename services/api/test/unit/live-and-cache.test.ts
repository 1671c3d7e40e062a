import type { EventSummary } from '@wikistream/shared';
import { describe, expect, it } from 'vitest';
import { liveMatcher } from '../../src/live/live-filter.ts';
import { createLiveHub, type LiveEntry, type LiveSink } from '../../src/live/live-hub.ts';
import { createAnswerCache } from '../../src/query/answer-cache.ts';

const summary = (id: string, fields: Partial<EventSummary> = {}): EventSummary => ({
  id,
  dt: '2026-02-26T15:49:36.569Z',
  wiki: 'enwiki',
  serverUrl: null,
  type: 'edit',
  namespace: 0,
  title: 'T',
  user: 'U',
  bot: false,
  anonymous: false,
  editorKind: 'registered',
  minor: null,
  comment: null,
  byteDelta: null,
  revision: null,
  logType: null,
  logAction: null,
  ...fields,
});

function sink() {
  const entries: LiveEntry[] = [];
  let ended = false;
  const value: LiveSink & { entries: LiveEntry[]; ended: () => boolean } = {
    entries,
    ended: () => ended,
    deliver: (entry) => void entries.push(entry),
    end: () => {
      ended = true;
    },
    queued: () => 0,
    dropped: () => 0,
  };
  return value;
}

describe('the live hub', () => {
  it('delivers each event once to every client whose filter matches', () => {
    const hub = createLiveHub({ replaySize: 10, epoch: 'ab' });
    const all = sink();
    const bots = sink();
    hub.subscribe(() => true, all);
    hub.subscribe(liveMatcher({ bot: true, wikis: ['dewiki'] }), bots);
    hub.publish(summary('1'));
    hub.publish(summary('2', { bot: true, wiki: 'dewiki' }));
    expect(all.entries.map((e) => e.summary.id)).toEqual(['1', '2']);
    expect(bots.entries.map((e) => e.summary.id)).toEqual(['2']);
    expect(all.entries[1]?.frame).toBe(
      `id: ab.2\nevent: change\ndata: ${JSON.stringify(summary('2', { bot: true, wiki: 'dewiki' }))}\n\n`,
    );
  });

  it('matches the kinds of editor asked for, as the stored filters do', () => {
    const match = liveMatcher({ editorKinds: ['temporary', 'ip'] });
    expect(match(summary('1', { editorKind: 'temporary', anonymous: true }))).toBe(true);
    expect(match(summary('2', { editorKind: 'ip', anonymous: true }))).toBe(true);
    expect(match(summary('3', { editorKind: 'registered' }))).toBe(false);
    expect(match(summary('4', { editorKind: 'bot', bot: true }))).toBe(false);
  });

  it('replays what a client missed after its Last-Event-ID, and counts what the ring no longer holds', () => {
    const hub = createLiveHub({ replaySize: 3, epoch: 'ab' });
    for (const id of ['1', '2', '3']) hub.publish(summary(id));
    const short = hub.subscribe(() => true, sink(), 'ab.1');
    expect(short.replay.map((e) => e.summary.id)).toEqual(['2', '3']);
    expect(short.missed).toBe(0);
    for (const id of ['4', '5']) hub.publish(summary(id));
    const long = hub.subscribe(() => true, sink(), 'ab.1');
    expect(long.replay.map((e) => e.summary.id)).toEqual(['3', '4', '5']);
    expect(long.missed).toBe(1);
  });

  it('ignores resume tokens of another process or run', () => {
    const hub = createLiveHub({ replaySize: 3, epoch: 'ab' });
    hub.publish(summary('1'));
    expect(hub.subscribe(() => true, sink(), 'cd.0').replay).toEqual([]);
    expect(hub.subscribe(() => true, sink(), 'garbage').replay).toEqual([]);
  });

  it('ends every stream on close, and later ones at once', async () => {
    const hub = createLiveHub({ replaySize: 3 });
    const open = sink();
    hub.subscribe(() => true, open);
    hub.close();
    expect(open.ended()).toBe(true);
    const late = sink();
    hub.subscribe(() => true, late);
    await Promise.resolve();
    expect(late.ended()).toBe(true);
    expect(hub.clientCount()).toBe(0);
  });
});

describe('the answer cache', () => {
  it('computes once for concurrent and repeated questions within the fresh period', async () => {
    let now = 0;
    let calls = 0;
    const cache = createAnswerCache({ ttlMs: 100, staleMs: 1_000, maxEntries: 10, clock: () => now });
    const work = async () => ++calls;
    expect(await Promise.all([cache.get('k', work), cache.get('k', work)])).toEqual([1, 1]);
    now = 50;
    expect(await cache.get('k', work)).toBe(1);
    expect(calls).toBe(1);
  });

  it('serves a stale answer at once while one refresh runs, then the new one', async () => {
    let now = 0;
    let calls = 0;
    const cache = createAnswerCache({ ttlMs: 100, staleMs: 1_000, maxEntries: 10, clock: () => now });
    const work = async () => ++calls;
    await cache.get('k', work);
    now = 200;
    let release: () => void = () => undefined;
    const slow = () => new Promise<number>((resolve) => (release = () => resolve(++calls)));
    expect(await cache.get('k', slow)).toBe(1);
    expect(await cache.get('k', slow)).toBe(1);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toBe(2);
    expect(await cache.get('k', work)).toBe(2);
    now = 5_000;
    expect(await cache.get('k', work)).toBe(3);
  });

  it('never keeps a failure', async () => {
    const cache = createAnswerCache({ ttlMs: 100, staleMs: 100, maxEntries: 10, clock: () => 0 });
    await expect(cache.get('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get('k', async () => 'ok')).toBe('ok');
  });
});
