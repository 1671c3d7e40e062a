import { isIP } from 'node:net';
import type { ConfigField } from '@wikistream/shared';

/** Named ranges the proxy-address matcher knows (loopback: 127.0.0.1/8 and ::1, …). */
const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'] as const;
const EXAMPLE =
  'TRUST_PROXY=10.0.0.0/8 (a range), TRUST_PROXY=127.0.0.1,::1 (addresses) or TRUST_PROXY=loopback';

function isAddressOrRange(item: string): boolean {
  if ((NAMED_RANGES as readonly string[]).includes(item)) return true;
  const [address = '', bits, ...rest] = item.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * The reverse proxies whose X-Forwarded-For is believed, by address. "Trust every hop" (true) and
 * hop counts are refused: either lets a client that reaches the api directly name any address it
 * likes, and so dodge the per-address rate limit and caps (Fastify itself no longer honours hop
 * counts for the same reason).
 */
export function trustedProxies(): ConfigField<false | readonly string[]> {
  return {
    kind: 'addresses',
    description:
      'Reverse proxies whose X-Forwarded-For is believed: addresses or CIDR ranges, comma-separated (also loopback, linklocal, uniquelocal); unset or false trusts none',
    required: false,
    default: false,
    parse(raw) {
      const value = raw.trim().toLowerCase();
      if (value === 'false') return false;
      if (['true', 'yes', 'on'].includes(value))
        throw new Error(
          `"${raw}" would believe every X-Forwarded-For hop, so any client could pick its own address; list your proxies instead, e.g. ${EXAMPLE}`,
        );
      if (/^\d+$/.test(value))
        throw new Error(
          `a hop count ("${raw}") cannot tell a proxy from a client that connects directly; list your proxies instead, e.g. ${EXAMPLE}`,
        );
      const items = raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
      if (items.length === 0) throw new Error(`must list at least one proxy, e.g. ${EXAMPLE}`);
      const wrong = items.filter((item) => !isAddressOrRange(item));
      if (wrong.length > 0)
        throw new Error(
          `${wrong.map((item) => `"${item}"`).join(', ')} is not an IP address, a CIDR range or one of ${NAMED_RANGES.join(', ')}`,
        );
      return Object.freeze(items);
    },
  };
}

export const ADMIN_TOKEN_MIN_LENGTH = 32;
const GENERATE = 'generate one with `openssl rand -hex 32`';

/**
 * The admin bearer token: unset or empty switches the admin routes off (compose passes empty
 * strings for unset variables); anything else must be long enough not to be guessed. The token
 * itself never appears in a message.
 */
export function adminToken(): ConfigField<string | undefined> {
  return {
    kind: 'secret',
    description: `Bearer token for /api/dlq and /api/dlq/redrive, at least ${ADMIN_TOKEN_MIN_LENGTH} characters (${GENERATE}); unset or empty disables them`,
    required: false,
    parse(raw) {
      if (raw.trim() === '')
        throw new Error(`is blank; leave it empty to switch the admin routes off, or ${GENERATE}`);
      if (raw.trim() !== raw) throw new Error(`starts or ends with a space; ${GENERATE}`);
      if (raw.length < ADMIN_TOKEN_MIN_LENGTH)
        throw new Error(
          `must be at least ${ADMIN_TOKEN_MIN_LENGTH} characters (it has ${raw.length}); ${GENERATE}`,
        );
      return raw;
    },
  };
}
