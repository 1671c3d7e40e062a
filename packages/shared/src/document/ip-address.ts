import { isIP } from 'node:net';

/** Logged-out editors appear under their IPv4 or IPv6 address. */
export function isIpAddress(user: string): boolean {
  return isIP(user) !== 0;
}
