/**
 * Switchable misbehaviour, as the real upstream shows it: dropped connections, error answers for a
 * while, connections that stall without closing. Tests flip these at run time; the CLI schedules them.
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
}

export function createFaults(options: { dropEvery?: number } = {}): Faults {
  let failing: { status: number; until: number } | undefined;
  const stalls: { from: number; until: number }[] = [];
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
  };
}
