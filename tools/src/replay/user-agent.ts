/**
 * Wikimedia's User-Agent policy as the replay server enforces it: no User-Agent, or the default
 * one of an HTTP library, gets 403 (EVENTSTREAMS.md §3.1). A descriptive agent names the client
 * and a way to reach its operator, e.g. `wikistream/0.1.0 (https://github.com/wikistream/wikistream)`.
 */
const LIBRARY_DEFAULTS = [
  'node',
  'node-fetch',
  'undici',
  'axios',
  'got',
  'eventsource',
  'python-requests',
  'python-urllib',
  'python-httpx',
  'aiohttp',
  'okhttp',
  'go-http-client',
  'java',
  'apache-httpclient',
  'curl',
  'wget',
  'libwww-perl',
  'ruby',
  'postmanruntime',
];

export function isAcceptableUserAgent(userAgent: string | undefined, apiUserAgent?: string): boolean {
  // Browsers cannot set User-Agent on an EventSource; Wikimedia accepts Api-User-Agent instead.
  if (apiUserAgent !== undefined && isAcceptableUserAgent(apiUserAgent)) return true;
  const value = userAgent?.trim() ?? '';
  if (value === '') return false;
  if (value.startsWith('Mozilla/')) return true;
  const product = value.split(/[\s/]/, 1)[0]?.toLowerCase() ?? '';
  if (LIBRARY_DEFAULTS.includes(product)) return false;
  // The policy asks for contact information: a URL or an e-mail address.
  return /https?:\/\/|@|\([^)]*\.[a-z]{2,}[^)]*\)/i.test(value);
}
