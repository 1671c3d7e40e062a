/**
 * Links to the wikis, built only from a `serverUrl` that parses as an https URL, plus a title,
 * user or revision ids that are always percent-encoded. Anything else gives no link at all, so
 * a hostile event can never produce a `javascript:` or foreign-scheme href.
 */

/** The origin of an https server URL, or null. */
export function safeOrigin(serverUrl: string | null | undefined): string | null {
  if (typeof serverUrl !== 'string' || serverUrl === '') return null;
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.hostname === '') {
    return null;
  }
  return url.origin;
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

/** The only hrefs the dashboard sets: wiki links from the builders above, or same-origin paths. */
export function isSafeHref(href: string): boolean {
  if (href.startsWith('/') && !href.startsWith('//')) return true;
  if (href.startsWith('?') || href.startsWith('#')) return true;
  return safeOrigin(href) !== null;
}
