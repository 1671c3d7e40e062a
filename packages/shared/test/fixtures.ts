import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The recorded fixtures in the repository's fixtures/ directory (see fixtures/README.md). */
const dir =
  process.env.WIKISTREAM_FIXTURES ??
  resolve(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/recentchange');

export function fixtureLines(): { file: string; line: number; text: string }[] {
  if (!existsSync(dir)) throw new Error(`recorded fixtures not found at ${dir}; set WIKISTREAM_FIXTURES`);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.ndjson'))
    .sort()
    .flatMap((name) =>
      readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .map((text, index) => ({ file: name, line: index + 1, text }))
        .filter(({ text }) => text.trim() !== ''),
    );
}
