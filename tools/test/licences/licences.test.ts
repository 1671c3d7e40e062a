import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  ALLOWED_LICENCES,
  checkLicences,
  formatLicenceProblem,
  LICENCE_PROBLEM_CODES,
} from '../../src/licences/check-licences.ts';
import { REPO_ROOT } from '../../src/testing/index.ts';

/** What `pnpm licenses list --json --prod` prints for these packages, one group per licence. */
const listing = (...packages: { name: string; version: string; license: string }[]) => {
  const groups: Record<string, unknown[]> = {};
  for (const { name, version, license } of packages) {
    groups[license] = groups[license] ?? [];
    groups[license].push({
      name,
      versions: [version],
      paths: [`/repo/node_modules/.pnpm/${name}@${version}/node_modules/${name}`],
      license,
      description: 'a package',
    });
  }
  return groups;
};

/** The same PATH (and so the same pnpm) as the command that runs the tests. */
function pnpmLicences(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'pnpm',
      ['licenses', 'list', '--json', '--prod'],
      { cwd: REPO_ROOT, env: process.env, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

describe('production dependency licences', () => {
  it('are all on the allow-list for this workspace', async () => {
    const installed = JSON.parse(await pnpmLicences()) as Record<string, { name: string }[]>;
    const names = Object.values(installed).flatMap((entries) => entries.map((entry) => entry.name));
    // A listing that lost the production dependencies would pass vacuously.
    expect(names).toEqual(expect.arrayContaining(['kafkajs', '@elastic/elasticsearch', 'fastify', 'pino']));
    expect(checkLicences(installed).map(formatLicenceProblem)).toEqual([]);
  }, 90_000);
});

describe('checkLicences', () => {
  it('passes a package under an allowed licence', () => {
    expect(checkLicences(listing({ name: 'pino', version: '10.4.0', license: 'MIT' }))).toEqual([]);
  });

  it('refuses a GPL-3.0 production dependency and names the package in its message', () => {
    const problems = checkLicences(
      listing(
        { name: 'pino', version: '10.4.0', license: 'MIT' },
        { name: 'copyleft-lib', version: '2.1.0', license: 'GPL-3.0' },
      ),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        code: LICENCE_PROBLEM_CODES.notAllowed,
        package: 'copyleft-lib@2.1.0',
        licence: 'GPL-3.0',
      }),
    ]);
    expect(problems.map(formatLicenceProblem)).toEqual([
      expect.stringMatching(/^copyleft-lib@2\.1\.0: GPL-3\.0: not on the allow-list: GPL-3\.0/),
    ]);
  });

  it('passes an OR expression when one side is allowed', () => {
    const dual = listing({ name: 'dual', version: '1.0.0', license: '(GPL-2.0-only OR MIT)' });
    expect(checkLicences(dual)).toEqual([]);
  });

  it('refuses an OR expression when no side is allowed', () => {
    const both = listing({ name: 'both', version: '1.0.0', license: 'GPL-2.0-only OR AGPL-3.0-only' });
    expect(checkLicences(both).map((problem) => problem.code)).toEqual([LICENCE_PROBLEM_CODES.notAllowed]);
  });

  it('passes an AND expression only when every side is allowed', () => {
    const allowed = listing({ name: 'two', version: '1.0.0', license: 'MIT AND (BSD-3-Clause OR GPL-3.0)' });
    const mixed = listing({ name: 'mixed', version: '1.0.0', license: 'MIT AND LGPL-2.1-only' });
    expect(checkLicences(allowed)).toEqual([]);
    expect(checkLicences(mixed)).toEqual([
      expect.objectContaining({ code: LICENCE_PROBLEM_CODES.notAllowed, package: 'mixed@1.0.0' }),
    ]);
  });

  it('refuses a package whose licence is unknown', () => {
    const unknown = listing({ name: 'mystery', version: '0.0.1', license: 'Unknown' });
    expect(checkLicences(unknown)).toEqual([
      expect.objectContaining({ code: LICENCE_PROBLEM_CODES.missing, package: 'mystery@0.0.1' }),
    ]);
  });

  it('refuses a licence that is not an SPDX expression', () => {
    const custom = listing({ name: 'custom', version: '3.0.0', license: 'SEE LICENSE IN LICENSE.md' });
    expect(checkLicences(custom).map((problem) => problem.code)).toEqual([LICENCE_PROBLEM_CODES.unparsable]);
  });

  it('reports every version of a refused package', () => {
    const installed = { 'SSPL-1.0': [{ name: 'server', versions: ['1.0.0', '2.0.0'], license: 'SSPL-1.0' }] };
    expect(checkLicences(installed).map((problem) => problem.package)).toEqual([
      'server@1.0.0',
      'server@2.0.0',
    ]);
  });

  it('uses the given allow-list rather than its default', () => {
    const mpl = listing({ name: 'mozilla-lib', version: '1.0.0', license: 'MPL-2.0' });
    expect(checkLicences(mpl)).toHaveLength(1);
    expect(checkLicences(mpl, [...ALLOWED_LICENCES, 'MPL-2.0'])).toEqual([]);
  });

  it('reports a listing in another shape instead of passing it', () => {
    expect(checkLicences([{ name: 'pino', license: 'MIT' }]).map((problem) => problem.code)).toEqual([
      LICENCE_PROBLEM_CODES.malformedListing,
    ]);
    expect(checkLicences({ MIT: [{ name: 'pino' }] }).map((problem) => problem.code)).toEqual([
      LICENCE_PROBLEM_CODES.malformedListing,
    ]);
  });
});
