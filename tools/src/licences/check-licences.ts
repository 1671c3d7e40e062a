/**
 * Licence check of the installed dependencies. Pure: the parsed output of
 * `pnpm licenses list --json --prod` and an allow-list in, problems out.
 *
 * That output maps a licence to the packages under it:
 * `{ "MIT": [{ "name": "pino", "versions": ["10.4.0"], "license": "MIT", "paths": [...] }], ... }`.
 * A package's own `license` is an SPDX expression; where it is missing, its group's key is used.
 */

/** Licences the code may depend on in production. */
export const ALLOWED_LICENCES: readonly string[] = Object.freeze([
  'MIT',
  'ISC',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'Apache-2.0',
  '0BSD',
  'BlueOak-1.0.0',
  'CC0-1.0',
  'Python-2.0',
  'Unlicense',
  'CC-BY-4.0',
]);

export const LICENCE_PROBLEM_CODES = {
  /** The expression, evaluated against the allow-list, is not satisfied. */
  notAllowed: 'not_allowed',
  /** No licence stated (pnpm reports such packages as `Unknown`). */
  missing: 'missing',
  /** The licence is not an SPDX expression (e.g. `SEE LICENSE IN LICENSE.md`). */
  unparsable: 'unparsable',
  /** The listing is not in the shape described above, so nothing in it could be checked. */
  malformedListing: 'malformed_listing',
} as const;

export type LicenceProblemCode = (typeof LICENCE_PROBLEM_CODES)[keyof typeof LICENCE_PROBLEM_CODES];

export interface LicenceProblem {
  readonly code: LicenceProblemCode;
  /** `name@version`, or the part of the listing that is malformed. */
  readonly package: string;
  readonly licence: string;
  readonly reason: string;
}

/** One line per problem, naming the package, its licence and why it is refused. */
export function formatLicenceProblem(problem: LicenceProblem): string {
  return `${problem.package}: ${problem.licence || '(none)'}: ${problem.reason} [${problem.code}]`;
}

/** Every problem in the listing, sorted by package; an empty list means every licence is allowed. */
export function checkLicences(
  listing: unknown,
  allowed: readonly string[] = ALLOWED_LICENCES,
): LicenceProblem[] {
  if (!isRecord(listing)) {
    return [malformed('(listing)', 'expected an object mapping licences to packages')];
  }
  const allowedSet = new Set(allowed.map((id) => id.toLowerCase()));
  const problems: LicenceProblem[] = [];
  for (const [group, entries] of Object.entries(listing)) {
    if (!Array.isArray(entries)) {
      problems.push(malformed(group, 'expected a list of packages under this licence'));
      continue;
    }
    for (const entry of entries as unknown[]) {
      if (!isRecord(entry) || typeof entry.name !== 'string' || !isStringList(entry.versions)) {
        problems.push(malformed(group, `expected { name, versions } in ${JSON.stringify(entry)}`));
        continue;
      }
      const licence =
        typeof entry.license === 'string' && entry.license.trim() !== '' ? entry.license : group;
      const verdict = judge(licence.trim(), allowedSet);
      if (verdict === undefined) continue;
      for (const version of entry.versions.length > 0 ? entry.versions : ['(unknown version)']) {
        problems.push({ ...verdict, package: `${entry.name}@${version}`, licence });
      }
    }
  }
  return problems.sort((a, b) => a.package.localeCompare(b.package));
}

type Verdict = Pick<LicenceProblem, 'code' | 'reason'>;

const MISSING = /^(|unknown|none|noassertion)$/i;

function judge(licence: string, allowed: ReadonlySet<string>): Verdict | undefined {
  if (MISSING.test(licence)) {
    return { code: LICENCE_PROBLEM_CODES.missing, reason: 'no licence stated' };
  }
  const expression = parseSpdx(licence);
  if (expression === undefined) {
    return { code: LICENCE_PROBLEM_CODES.unparsable, reason: 'not an SPDX licence expression' };
  }
  if (satisfies(expression, allowed)) return undefined;
  const refused = [...new Set(identifiers(expression).filter((id) => !allowed.has(id.toLowerCase())))];
  return {
    code: LICENCE_PROBLEM_CODES.notAllowed,
    reason: `not on the allow-list: ${refused.join(', ')}${expression.kind === 'licence' ? '' : ' (AND needs every side allowed, OR at least one)'}`,
  };
}

// --- SPDX expressions: `A OR B`, `A AND B`, `A WITH exception`, parentheses; AND binds tighter. ---

type Expression =
  | { readonly kind: 'licence'; readonly id: string }
  | { readonly kind: 'and' | 'or'; readonly left: Expression; readonly right: Expression };

/** An exception (`WITH ...`) only adds permissions, so the licence it modifies decides. */
function satisfies(expression: Expression, allowed: ReadonlySet<string>): boolean {
  switch (expression.kind) {
    case 'licence':
      return allowed.has(expression.id.toLowerCase());
    case 'and':
      return satisfies(expression.left, allowed) && satisfies(expression.right, allowed);
    case 'or':
      return satisfies(expression.left, allowed) || satisfies(expression.right, allowed);
  }
}

function identifiers(expression: Expression): string[] {
  return expression.kind === 'licence'
    ? [expression.id]
    : [...identifiers(expression.left), ...identifiers(expression.right)];
}

/** The expression, or undefined when the text is not one. */
function parseSpdx(text: string): Expression | undefined {
  const tokens = text.match(/[()]|[^\s()]+/g) ?? [];
  let at = 0;
  const peek = () => tokens[at]?.toUpperCase();
  const binary = (operator: 'AND' | 'OR', operand: () => Expression | undefined): Expression | undefined => {
    let left = operand();
    while (left !== undefined && peek() === operator) {
      at += 1;
      const right = operand();
      left = right === undefined ? undefined : { kind: operator === 'AND' ? 'and' : 'or', left, right };
    }
    return left;
  };
  const or = (): Expression | undefined => binary('OR', () => binary('AND', atom));
  const atom = (): Expression | undefined => {
    const token = tokens[at];
    if (token === '(') {
      at += 1;
      const inner = or();
      if (tokens[at] !== ')') return undefined;
      at += 1;
      return inner;
    }
    if (token === undefined || !/^[A-Za-z0-9.+-]+$/.test(token) || isOperator(token)) return undefined;
    at += 1;
    if (peek() === 'WITH') {
      const exception = tokens[at + 1];
      if (exception === undefined || !/^[A-Za-z0-9.+-]+$/.test(exception) || isOperator(exception)) {
        return undefined;
      }
      at += 2;
    }
    return { kind: 'licence', id: token };
  };
  const expression = or();
  return at === tokens.length ? expression : undefined;
}

function isOperator(token: string): boolean {
  return /^(AND|OR|WITH)$/i.test(token);
}

function malformed(where: string, reason: string): LicenceProblem {
  return { code: LICENCE_PROBLEM_CODES.malformedListing, package: where, licence: '', reason };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
