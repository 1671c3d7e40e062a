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
