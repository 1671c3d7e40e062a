import { setTimeout as sleep } from 'node:timers/promises';

/** Polls until `check` returns a truthy value (which is returned) or the deadline passes. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<NonNullable<T>> {
  const { timeoutMs = 30_000, intervalMs = 100 } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`${options.message ?? 'condition'} not met within ${timeoutMs} ms`, {
        cause: lastError,
      });
    }
    await sleep(intervalMs);
  }
}
