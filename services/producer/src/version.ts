import { readFileSync } from 'node:fs';

/** The producer's version, from its package.json; written into every record's header. */
export const PRODUCER_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
