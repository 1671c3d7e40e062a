import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_VERSION } from '@wikistream/shared';
import { describe, expect, it } from 'vitest';
import { changelogSection, releaseImages } from '../../src/release/release-plan.ts';
import { REPO_ROOT } from '../../src/testing/index.ts';

describe('the release plan', () => {
  it("finds a version's changelog section and nothing for a version without one", () => {
    const changelog =
      '# Changelog\n\n## 0.2.0 — 2027-01-02\n\n- Watches.\n\n## 0.1.0 — 2026-12-06\n\n- First.\n';
    expect(changelogSection(changelog, '0.2.0')).toBe('- Watches.');
    expect(changelogSection(changelog, '0.1.0')).toBe('- First.');
    expect(changelogSection(changelog, '0.1.1')).toBeUndefined();
    expect(changelogSection('## 0.3.0\n\n## 0.2.0\n- x', '0.3.0')).toBeUndefined();
  });

  it('has a changelog section for the current version', () => {
    expect(
      changelogSection(readFileSync(join(REPO_ROOT, 'CHANGELOG.md'), 'utf8'), PROJECT_VERSION),
    ).toBeDefined();
  });

  it('builds every service image with the version and the commit as labels', () => {
    const images = releaseImages({ version: '1.2.3', revision: 'abc123', repository: 'example' });
    expect(images.map((image) => image.tag)).toEqual([
      'example/producer:1.2.3',
      'example/indexer:1.2.3',
      'example/api:1.2.3',
    ]);
    expect(images[0]?.buildArgs).toEqual([
      '--target',
      'producer',
      '--build-arg',
      'VERSION=1.2.3',
      '--build-arg',
      'REVISION=abc123',
      '--tag',
      'example/producer:1.2.3',
      '.',
    ]);
  });
});
