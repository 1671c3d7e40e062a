/** Command-line values shared by `pnpm bench` and `pnpm bench:compare`, with clear errors. */

/** `NAME=value`, a setting for the services the benchmark starts (e.g. BULK_CONCURRENCY=4). */
export function serviceSetting(text: string, where: string): [string, string] {
  const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(text);
  if (match === null) throw new Error(`${where}: expected VAR=value, got "${text}"`);
  return [match[1] as string, match[2] as string];
}

/** An integer of at least `least`, given as `--name text`. */
export function integerOption(name: string, text: string, least: number): number {
  const value = Number(text);
  if (!(Number.isInteger(value) && value >= least))
    throw new Error(`--${name} expects an integer ≥ ${least}, got "${text}"`);
  return value;
}

/** `--compose-phases 30:1,3000:3`: event rates with their indexer counts. */
export function composePhases(text: string): { rate: number; indexers: number }[] {
  return text.split(',').map((part) => {
    const match = /^\s*(\d+):(\d+)\s*$/.exec(part);
    const rate = Number(match?.[1]);
    const indexers = Number(match?.[2]);
    if (!match || rate < 1 || indexers < 1) {
      throw new Error(`--compose-phases expects RATE:INDEXERS[,RATE:INDEXERS…], got "${part}"`);
    }
    return { rate, indexers };
  });
}
