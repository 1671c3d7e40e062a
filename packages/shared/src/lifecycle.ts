import { ErrorCode, WikistreamError } from './errors.ts';
import type { Logger } from './logger.ts';

/** Anything long-lived: started once, closed idempotently. */
export interface Component {
  readonly name: string;
  start?(): Promise<void>;
  close(): Promise<void>;
}

export interface Lifecycle {
  /** Starts components in the given order; when one fails, the ones already started are closed. */
  start(): Promise<void>;
  /** Closes started components in reverse order; idempotent; rejects with shutdown_timeout past the deadline. */
  close(): Promise<void>;
}

export interface LifecycleOptions {
  logger: Logger;
  shutdownTimeoutMs: number;
}

export function createLifecycle(components: readonly Component[], options: LifecycleOptions): Lifecycle {
  const started: Component[] = [];
  let closing: Promise<void> | undefined;

  async function closeAll(): Promise<void> {
    const failures: unknown[] = [];
    for (const component of [...started].reverse()) {
      try {
        await component.close();
        options.logger.debug({ component: component.name }, 'closed');
      } catch (error) {
        failures.push(error);
        options.logger.error({ err: error, component: component.name }, 'close failed');
      }
    }
    started.length = 0;
    if (failures.length > 0) {
      throw new WikistreamError(ErrorCode.Internal, `${failures.length} component(s) failed to close`, {
        cause: failures[0],
      });
    }
  }

  return {
    async start() {
      for (const component of components) {
        try {
          await component.start?.();
        } catch (error) {
          options.logger.error({ err: error, component: component.name }, 'start failed');
          await closeAll().catch(() => undefined);
          throw error;
        }
        started.push(component);
        options.logger.debug({ component: component.name }, 'started');
      }
    },
    close() {
      closing ??= withTimeout(closeAll(), options.shutdownTimeoutMs);
      return closing;
    },
  };
}

async function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new WikistreamError(ErrorCode.ShutdownTimeout, `shutdown took longer than ${ms} ms`)),
      ms,
    );
    timer.unref();
  });
  try {
    await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
