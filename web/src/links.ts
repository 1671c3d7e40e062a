/**
 * Links to the wikis, built only from a `serverUrl` that parses as an https URL on a Wikimedia
 * project host, plus a title, user or revision ids that are always percent-encoded. Anything else
 * gives no link at all (the dashboard shows the text plainly), so a hostile event can never produce
 * a `javascript:` href, a foreign scheme, or a link to a host outside Wikimedia's projects.
 */

/**
 * The Wikimedia project domains a link may point into: the domain itself or any host under it.
 * These are the families whose wikis publish to EventStreams' `recentchange` (the sites matrix).
 */
export const WIKIMEDIA_DOMAINS = [
  'mediawiki.org',
  'wikibooks.org',
  'wikidata.org',
  'wikifunctions.org',
  'wikimedia.org',
  'wikinews.org',
  'wikipedia.org',
  'wikiquote.org',
  'wikisource.org',
  'wikiversity.org',
  'wikivoyage.org',
  'wiktionary.org',
] as const;

/** Whether a (lower-case) host name is one of the domains above or a host under one of them. */
export function isWikimediaHost(hostname: string): boolean {
  return WIKIMEDIA_DOMAINS.some((domain) => hostname === domain || hostname.endsWith(`.${domain}`));
}

/** The origin of an https server URL on a Wikimedia project host (default port), or null. */
export function safeOrigin(serverUrl: string | null | undefined): string | null {
  if (typeof serverUrl !== 'string' || serverUrl === '') return null;
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') {
    return null;
  }
  return isWikimediaHost(url.hostname) ? url.origin : null;
}

function wikiPath(name: string): string {
  return encodeURIComponent(name.replaceAll(' ', '_'));
}

export function wikiHomeUrl(serverUrl: string | null | undefined): string | null {
  const origin = safeOrigin(serverUrl);
  return origin ? `${origin}/` : null;
}

export function pageUrl(
  serverUrl: string | null | undefined,
  title: string | null | undefined,
): string | null {
  const origin = safeOrigin(serverUrl);
  if (!origin || typeof title !== 'string' || title === '') return null;
  return `${origin}/wiki/${wikiPath(title)}`;
}

export function userUrl(
  serverUrl: string | null | undefined,
  user: string | null | undefined,
): string | null {
  const origin = safeOrigin(serverUrl);
  if (!origin || typeof user !== 'string' || user === '') return null;
  return `${origin}/wiki/Special:Contributions/${wikiPath(user)}`;
}

function isRevisionId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** The diff of an edit; for a page creation (no old revision) the new revision itself. */
export function diffUrl(
  serverUrl: string | null | undefined,
  revision: { old: number | null; new: number | null } | null | undefined,
): string | null {
  const origin = safeOrigin(serverUrl);
  if (!origin || !revision || !isRevisionId(revision.new)) return null;
  if (isRevisionId(revision.old)) return `${origin}/w/index.php?diff=${revision.new}&oldid=${revision.old}`;
  return `${origin}/w/index.php?oldid=${revision.new}`;
}

const HERE = 'https://dashboard.invalid';

/**
 * The only hrefs the dashboard sets: wiki links from the builders above, or same-origin
 * references. A relative reference counts only when a browser resolves it to this origin:
 * `/\host`, `\\host` and paths with tabs or newlines (which browsers drop) can name another host.
 */
export function isSafeHref(href: string): boolean {
  if (href.startsWith('/') || href.startsWith('?') || href.startsWith('#')) {
    try {
      return new URL(href, `${HERE}/page`).origin === HERE;
    } catch {
      return false;
    }
  }
  return safeOrigin(href) !== null;
}
