import { readFileSync } from 'node:fs';

/**
 * The project's one version: the root package.json's. Every service reports it (`--version`,
 * `/healthz`, `/api/health`), the dashboard shows it and the images carry it as a label; a test
 * keeps the packages' own versions equal to it.
 */
export const PROJECT_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** `--version`: what a service prints, e.g. `wikistream-producer 0.1.0`. */
export function versionLine(service: string): string {
  return `wikistream-${service} ${PROJECT_VERSION}`;
}
