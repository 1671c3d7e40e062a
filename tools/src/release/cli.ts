/*
 * `pnpm release [-- --repository NAME] [--allow-dirty]`: builds the three images of the version in
 * the root package.json, labelled with it and with the commit (org.opencontainers.image.version,
 * .revision; .source and .licenses come from the Dockerfile). Refuses a version without its
 * CHANGELOG.md section, and uncommitted changes (the label would name a commit the image is not).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { engineAnswers, run, runOrThrow } from '../docker/commands.ts';
import { StackError } from '../stack/stack-error.ts';
import { REPO_ROOT } from '../testing/fixtures.ts';
import { changelogSection, releaseImages } from './release-plan.ts';

const print = (line: string) => process.stdout.write(`[release] ${line}\n`);

function main(): void {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      repository: { type: 'string', default: 'wikistream' },
      'allow-dirty': { type: 'boolean', default: false },
    },
  });
  if (!engineAnswers())
    throw new StackError('no Docker engine answers: start it, or run pnpm docker:prepare');
  const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;
  if (!changelogSection(readFileSync(join(REPO_ROOT, 'CHANGELOG.md'), 'utf8'), version)) {
    throw new StackError(`CHANGELOG.md has no section for ${version}: say what this release changes first`);
  }
  const dirty = run('git', ['status', '--porcelain'], { cwd: REPO_ROOT }).stdout.trim();
  if (dirty && !values['allow-dirty']) {
    throw new StackError('uncommitted changes: commit them first (or --allow-dirty for a local build)');
  }
  const revision = runOrThrow('git', ['rev-parse', 'HEAD'], 'reading the commit', {
    cwd: REPO_ROOT,
  }).stdout.trim();
  for (const image of releaseImages({
    version,
    revision: dirty ? `${revision}-dirty` : revision,
    repository: values.repository,
  })) {
    print(`building ${image.tag}`);
    runOrThrow('docker', ['build', ...image.buildArgs], `building ${image.tag}`, { cwd: REPO_ROOT });
  }
  print(
    `${version} (${revision}) built: ${releaseImages({ version, revision, repository: values.repository })
      .map((i) => i.tag)
      .join(', ')}`,
  );
}

try {
  main();
} catch (error) {
  process.stderr.write(`release: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
