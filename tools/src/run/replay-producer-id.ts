/**
 * The cursor key of a `pnpm start -- --replay` run. A replay is a new upstream every time (its own
 * server, port and clock), so it gets a cursor of its own per run and never moves — or is refused
 * by — the live feed's cursor (`wikistream-producer`). An explicit PRODUCER_ID is used as given.
 */
export function replayProducerId(
  env: Readonly<Record<string, string | undefined>>,
  startedAt: number,
): string {
  return env.PRODUCER_ID ?? `wikistream-replay-${startedAt.toString(36)}`;
}
