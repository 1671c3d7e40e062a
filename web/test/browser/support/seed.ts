import type { GapRecord, RecentChangeEvent } from '@wikistream/shared';
import { retime, seedDocuments, seededRandom, validFixtureEvents } from '@wikistream/tools/testing';

export { retime };

/**
 * Test data for the dashboard: the recorded fixture events re-timed into the last three hours
 * (a quarter of them in the last 15 minutes, so wikis and pages trend), one recorded gap with
 * no events inside it, edits by temporary accounts and IP addresses, and a burst of events whose
 * title, comment and user are hostile markup.
 */
export interface TimedEvent {
  readonly event: RecentChangeEvent;
  readonly receivedAt: number;
  readonly indexedAt: number;
}

const MINUTE = 60_000;
const SPAN_MS = 180 * MINUTE;
const RECENT_MS = 15 * MINUTE;
const RECENT_SHARE = 0.25;

/** Every valid, non-canary fixture event. */
export const fixtureRecentChanges = validFixtureEvents;

export function gapWindow(now: number): GapRecord {
  return {
    from: new Date(now - 50 * MINUTE).toISOString(),
    to: new Date(now - 46 * MINUTE).toISOString(),
    reason: 'cursor_expired',
    detectedAt: new Date(now - 46 * MINUTE).toISOString(),
    detail: 'resumed 4 minutes after the stored cursor (test ledger entry)',
  };
}

/** A page the tests search for by a word of its title: its events always fall in the last 15 minutes. */
export const KNOWN_TITLE = {
  title: 'EFL Championship',
  word: 'Championship',
  url: 'https://en.wikipedia.org/wiki/EFL_Championship',
};

/** Every fixture event at a time in the last three hours, shuffled, none inside the gap. */
export function seededHistory(now: number, gap: GapRecord): TimedEvent[] {
  const next = seededRandom(20260226);
  const events = fixtureRecentChanges();
  const end = now - 30_000;
  const gapFrom = Date.parse(gap.from);
  const gapTo = Date.parse(gap.to);
  return events.map((event) => {
    const recent = next() < RECENT_SHARE || event.title === KNOWN_TITLE.title;
    let dt = recent ? end - next() * RECENT_MS : end - RECENT_MS - next() * (SPAN_MS - RECENT_MS);
    if (dt >= gapFrom && dt < gapTo) dt = gapFrom - 1000 - next() * 60_000;
    const receivedAt = dt + 200 + Math.round(next() * 600);
    return { event: retime(event, dt), receivedAt, indexedAt: receivedAt + 400 + Math.round(next() * 2400) };
  });
}

/**
 * Logged-out editors as Wikimedia names them today: temporary accounts (the current format and
 * the one from before July 2025) and IP addresses (v4 and v6, upper case as MediaWiki writes it).
 * The fixtures hold a few of each too; these make sure every view of the last 15 minutes has some.
 */
export const KIND_EDITORS = {
  temporary: ['~2026-31337-12', '~2025-104729'],
  ip: ['198.51.100.23', '2001:DB8:85A3:0:0:8A2E:370:7334'],
} as const;

/** Two edits on enwiki by each of KIND_EDITORS, between 8 and 10 minutes ago. */
export function editorKindEvents(now: number, idPrefix: string): RecentChangeEvent[] {
  const template = fixtureRecentChanges().find(
    (event) => event.wiki === 'enwiki' && event.type === 'edit' && event.bot === false,
  );
  if (!template) throw new Error('the fixtures have no enwiki edit by a person');
  const users = [...KIND_EDITORS.temporary, ...KIND_EDITORS.ip];
  return users.flatMap((user, u) =>
    [0, 1].map((i) => ({
      ...retime(template, now - 8 * MINUTE - (u * 2 + i) * 7_000, `${idPrefix}-${u}-${i}`),
      user,
      title: `Kindtest ${u}`,
    })),
  );
}

export const HOSTILE = {
  word: 'Zzxss',
  title: 'Zzxss <script>fetch("/xss-probe-title");alert("title")</script>',
  comment:
    '<img src=x onerror="fetch(\'/xss-probe-comment\');alert(1)"> <a href="javascript:alert(2)">click</a> [[javascript:alert(3)]]',
  user: "javascript:fetch('/xss-probe-user')//<img src=x onerror=alert(4)>",
  parsedcomment: '<img src=x onerror="fetch(\'/xss-probe-parsed\')"><script>alert(5)</script>',
  /** An https server that is no Wikimedia project: shown as text, never linked. */
  foreignServer: 'https://wikipedia.org.evil.example',
} as const;

/** Events carrying hostile markup: a valid wiki with hostile text, and a hostile server URL. */
export function hostileEvents(now: number, count: number, idPrefix: string): RecentChangeEvent[] {
  const base = (i: number): RecentChangeEvent =>
    ({
      $schema: '/mediawiki/recentchange/1.0.0',
      meta: {
        id: `${idPrefix}-${i}`,
        dt: new Date(now - 9 * MINUTE + i * 1000).toISOString(),
        domain: 'en.wikipedia.org',
        stream: 'mediawiki.recentchange',
        uri: 'https://en.wikipedia.org/wiki/Zzxss',
      },
      id: 900_000_000 + i,
      type: 'edit',
      namespace: 0,
      title: HOSTILE.title,
      comment: HOSTILE.comment,
      parsedcomment: HOSTILE.parsedcomment,
      timestamp: Math.floor((now - 9 * MINUTE + i * 1000) / 1000),
      user: HOSTILE.user,
      bot: false,
      minor: false,
      length: { old: 100, new: 150 + i },
      revision: { old: 1_000_000 + i, new: 1_000_001 + i },
      server_url: 'https://en.wikipedia.org',
      server_name: 'en.wikipedia.org',
      server_script_path: '/w',
      wiki: 'enwiki',
    }) as unknown as RecentChangeEvent;
  const events = Array.from({ length: count }, (_, i) => base(i));
  return [
    ...events,
    {
      ...base(count),
      title: `${HOSTILE.word} javascript server`,
      server_url: 'javascript:fetch("/xss-probe-server")//',
      wiki: 'xsswiki',
    } as RecentChangeEvent,
    {
      ...base(count + 1),
      title: `${HOSTILE.word} foreign host`,
      user: `${HOSTILE.word} foreign user`,
      server_url: HOSTILE.foreignServer,
      wiki: 'foreignwiki',
    } as RecentChangeEvent,
  ];
}

/** Installs the index template for the prefix and bulk-indexes the events, refreshed. */
export function seedElasticsearch(url: string, prefix: string, events: readonly TimedEvent[]): Promise<void> {
  return seedDocuments(url, prefix, events);
}
