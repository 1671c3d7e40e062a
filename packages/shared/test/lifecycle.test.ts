import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type Component, createLifecycle, createLogger, ErrorCode, isWikistreamError } from '../src/index.ts';

const quiet = createLogger({
  name: 'test',
  level: 'silent',
  destination: new Writable({ write: (_c, _e, cb) => cb() }),
});

function recorder() {
  const events: string[] = [];
  const component = (name: string, behaviour: Partial<Component> = {}): Component => ({
    name,
    start: async () => {
      events.push(`start ${name}`);
    },
    close: async () => {
      events.push(`close ${name}`);
    },
    ...behaviour,
  });
  return { events, component };
}

describe('createLifecycle', () => {
  it('starts in order and closes in reverse order', async () => {
    const { events, component } = recorder();
    const lifecycle = createLifecycle([component('a'), component('b'), component('c')], {
      logger: quiet,
      shutdownTimeoutMs: 1000,
    });
    await lifecycle.start();
    await lifecycle.close();
    expect(events).toEqual(['start a', 'start b', 'start c', 'close c', 'close b', 'close a']);
  });

  it('closes only once however often close is called', async () => {
    const { events, component } = recorder();
    const lifecycle = createLifecycle([component('a')], { logger: quiet, shutdownTimeoutMs: 1000 });
    await lifecycle.start();
    await Promise.all([lifecycle.close(), lifecycle.close()]);
    await lifecycle.close();
    expect(events.filter((e) => e === 'close a')).toHaveLength(1);
  });

  it('closes what already started when a later component fails to start', async () => {
    const { events, component } = recorder();
    const failing = component('b', {
      start: async () => {
        throw new Error('no broker');
      },
    });
    const lifecycle = createLifecycle([component('a'), failing, component('c')], {
      logger: quiet,
      shutdownTimeoutMs: 1000,
    });
    await expect(lifecycle.start()).rejects.toThrow('no broker');
    expect(events).toEqual(['start a', 'close a']);
  });

  it('turns a hanging close into a shutdown_timeout error', async () => {
    const { component } = recorder();
    const hanging = component('slow', { close: () => new Promise<void>(() => undefined) });
    const lifecycle = createLifecycle([hanging], { logger: quiet, shutdownTimeoutMs: 50 });
    await lifecycle.start();
    const error = await lifecycle.close().catch((e: unknown) => e);
    expect(isWikistreamError(error, ErrorCode.ShutdownTimeout)).toBe(true);
  });

  it('keeps closing the others when one close fails, then reports it', async () => {
    const { events, component } = recorder();
    const broken = component('b', {
      close: async () => {
        throw new Error('boom');
      },
    });
    const lifecycle = createLifecycle([component('a'), broken], { logger: quiet, shutdownTimeoutMs: 1000 });
    await lifecycle.start();
    await expect(lifecycle.close()).rejects.toThrow(/failed to close/);
    expect(events).toContain('close a');
  });
});
