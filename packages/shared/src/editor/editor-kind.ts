import { isIpAddress } from '../document/ip-address.ts';

/**
 * Who made a change, as Wikimedia shows editors today. `recentchange` has no field for it: the
 * kind follows from the event's `bot` flag and its user name.
 * - `bot`: the event's `bot` flag (it wins over the name);
 * - `temporary`: a temporary account, the name of a logged-out editor on wikis with temporary
 *   accounts (English Wikipedia since 4 November 2025): `~2025-12345-67`, or `~2025-123456` for
 *   accounts made before July 2025. Wikimedia's configuration treats a name as temporary exactly
 *   when it starts with `~2`, and no one can register such a name;
 * - `ip`: an IPv4 or IPv6 address, a logged-out editor on wikis without temporary accounts (and in
 *   older data);
 * - `registered`: every other name.
 */
export const EDITOR_KINDS = ['registered', 'temporary', 'ip', 'bot'] as const;
export type EditorKind = (typeof EDITOR_KINDS)[number];

/** The prefix of every temporary account name on Wikimedia's wikis (`~` then the year). */
export const TEMPORARY_ACCOUNT_PREFIX = '~2';

export function isTemporaryAccount(user: string): boolean {
  return user.startsWith(TEMPORARY_ACCOUNT_PREFIX);
}

export function editorKind(event: { readonly bot?: unknown; readonly user?: unknown }): EditorKind {
  if (event.bot === true) return 'bot';
  if (typeof event.user !== 'string') return 'registered';
  if (isTemporaryAccount(event.user)) return 'temporary';
  if (isIpAddress(event.user)) return 'ip';
  return 'registered';
}
