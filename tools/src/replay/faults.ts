/**
 * Switchable misbehaviour, as the real upstream shows it — dropped connections, error answers for a
 * while, connections that stall without closing — and as a hostile one would: redirects to another
 * origin, connections that trickle bytes but never another event. Tests flip these at run time; the
 * CLI schedules them.
 */
export interface Faults {
  /** Close each connection (without ending the HTTP response) after this many events; 0 = never. */
  dropEvery: number;
  /** New requests get `status` until `ms` from now. */
  failFor(status: number, ms: number): void;
  /** The status new requests get right now, if failing. */
  failure(now?: number): number | undefined;
  /** Connections open now stop sending (without closing) for `ms`; later connections are unaffected. */
  stall(ms: number): void;
  /** Until when a connection opened at `openedAt` is stalled (0 = not stalled). */
  stalledUntil(openedAt: number, now?: number): number;
  /** Stall windows started so far (for tests: when did a stall begin). */
  readonly stalls: readonly { readonly from: number; readonly until: number }[];
  /** New requests are redirected (`status`, `Location: location` + the request's query) until `ms` from now. */
  redirectFor(location: string, ms: number, status?: number): void;
  /** The redirect new requests get right now, if any. */
  redirect(now?: number): { readonly status: number; readonly location: string } | undefined;
  /** Connections open now are closed at once (new ones are not affected). */
  cut(): void;
  /** Whether a connection opened at `openedAt` has been cut. */
  isCut(openedAt: number): boolean;
  /**
   * Connections open now send an SSE comment every `everyMs` and never another event, for as long
   * as the client stays: bytes flow, events do not.
   */
  trickle(everyMs: number): void;
  /** The comment interval of a connection opened at `openedAt` if it trickles, else 0. */
  trickleEvery(openedAt: number): number;
}

export function createFaults(options: { dropEvery?: number } = {}): Faults {
  let failing: { status: number; until: number } | undefined;
  let redirecting: { status: number; location: string; until: number } | undefined;
  const stalls: { from: number; until: number }[] = [];
  const cuts: number[] = [];
  const trickles: { from: number; everyMs: number }[] = [];
  return {
    dropEvery: options.dropEvery ?? 0,
    failFor(status, ms) {
      failing = { status, until: Date.now() + ms };
    },
    failure(now = Date.now()) {
      return failing !== undefined && now < failing.until ? failing.status : undefined;
    },
    stall(ms) {
      const from = Date.now();
      stalls.push({ from, until: from + ms });
    },
    stalledUntil(openedAt, now = Date.now()) {
      let until = 0;
      for (const stall of stalls) {
        if (openedAt <= stall.from && now >= stall.from && now < stall.until)
          until = Math.max(until, stall.until);
      }
      return until;
    },
    stalls,
    redirectFor(location, ms, status = 302) {
      redirecting = { status, location, until: Date.now() + ms };
    },
    redirect(now = Date.now()) {
      return redirecting !== undefined && now < redirecting.until ? redirecting : undefined;
    },
    cut() {
      cuts.push(Date.now());
    },
    isCut(openedAt) {
      return cuts.some((at) => openedAt <= at);
    },
    trickle(everyMs) {
      trickles.push({ from: Date.now(), everyMs });
    },
    trickleEvery(openedAt) {
      return trickles.find((trickle) => openedAt <= trickle.from)?.everyMs ?? 0;
    },
  };
}
