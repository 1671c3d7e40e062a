/**
 * fetch that follows redirects only within the origin of the first request. A redirect anywhere
 * else is refused before anything is sent there, so our User-Agent and Last-Event-ID stay with the
 * upstream we were configured for and no other server's events are taken as its. A redirect loop
 * and a Location that is not a URL are refused too.
 */
export type SameOriginResult =
  | { readonly kind: 'response'; readonly response: Response }
  | {
      readonly kind: 'refused';
      readonly status: number;
      /** Origin of the refused Location, when it has one. */
      readonly target: string | undefined;
      readonly detail: string;
    };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export async function fetchSameOrigin(
  doFetch: typeof fetch,
  url: URL,
  init: RequestInit,
  maxRedirects: number,
): Promise<SameOriginResult> {
  let current = url;
  for (let hops = 0; ; hops++) {
    const response = await doFetch(current, { ...init, redirect: 'manual' });
    if (!REDIRECTS.has(response.status)) return { kind: 'response', response };
    await response.body?.cancel().catch(() => undefined);
    const location = response.headers.get('location');
    const next = location === null ? null : URL.parse(location, current.href);
    const refuse = (detail: string): SameOriginResult => ({
      kind: 'refused',
      status: response.status,
      target: next?.origin,
      detail,
    });
    if (next === null) return refuse(`a ${response.status} without a valid Location`);
    if (next.origin !== url.origin) return refuse(`a ${response.status} to another origin, ${next.origin}`);
    if (hops >= maxRedirects) return refuse(`more than ${maxRedirects} redirects within ${url.origin}`);
    current = next;
  }
}
