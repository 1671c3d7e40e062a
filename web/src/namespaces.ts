/** Canonical names of the namespaces that matter on Wikimedia wikis (MediaWiki defaults). */
const NAMES: Readonly<Record<number, string>> = {
  [-2]: 'Media',
  [-1]: 'Special',
  0: 'Main',
  1: 'Talk',
  2: 'User',
  3: 'User talk',
  4: 'Project',
  5: 'Project talk',
  6: 'File',
  7: 'File talk',
  8: 'MediaWiki',
  9: 'MediaWiki talk',
  10: 'Template',
  11: 'Template talk',
  12: 'Help',
  13: 'Help talk',
  14: 'Category',
  15: 'Category talk',
  100: 'Portal',
  118: 'Draft',
  120: 'Property',
  146: 'Lexeme',
  828: 'Module',
  829: 'Module talk',
  1198: 'Translations',
  2600: 'Topic',
};

/** Namespaces offered in the filter menu, most used first. */
export const COMMON_NAMESPACES: readonly number[] = [0, 1, 2, 3, 4, 6, 10, 14, 118, 120, 146, 828];

export function namespaceName(ns: number): string {
  return NAMES[ns] ?? `Namespace ${ns}`;
}
