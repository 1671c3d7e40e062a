import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in tools/src/testing). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Real recorded recentchange events (fixtures/README.md says where each file comes from). */
export function fixturesDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.WIKISTREAM_FIXTURES ?? resolve(REPO_ROOT, 'fixtures/recentchange');
  if (!existsSync(dir)) {
    throw new Error(
      `recorded fixtures not found at ${dir}; set WIKISTREAM_FIXTURES to the recentchange fixtures directory`,
    );
  }
  return dir;
}

export interface FixtureLine {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

export function fixtureFiles(dir = fixturesDir()): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.ndjson'))
    .sort()
    .map((name) => join(dir, name));
}

/** Every fixture line, exactly as recorded. */
export function fixtureLines(files = fixtureFiles()): FixtureLine[] {
  return files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .map((text, index) => ({ file, line: index + 1, text }))
      .filter(({ text }) => text.trim() !== ''),
  );
}

/** Parsed fixture events. */
export function fixtureEvents(files = fixtureFiles()): Record<string, unknown>[] {
  return fixtureLines(files).map(({ text }) => JSON.parse(text) as Record<string, unknown>);
}
