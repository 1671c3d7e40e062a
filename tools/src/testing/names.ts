import { randomBytes } from 'node:crypto';

/** A name no other test (or test run) uses: lower case, safe for Kafka topics and ES indices. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`.toLowerCase();
}
