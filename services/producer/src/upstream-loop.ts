import type { Logger } from '@wikistream/shared';
import { type BackoffSettings, type DisconnectCause, reconnectDelay } from './backoff.ts';
import type { Frame } from './classify-frame.ts';
import { MAX_SSE_FRAME_BYTES } from './defaults.ts';
import type { Ingest } from './ingest.ts';
import { startWatchdog, type Watchdog } from './stall-watchdog.ts';
import { openUpstream, type UpstreamConnection, type UpstreamEnd } from './upstream.ts';

/**
 * Keeps exactly one upstream connection: connect with the ingest's resume position, stream until
 * the connection ends (error, end, HTTP status, stall), wait a back-off, connect again. The old
 * connection is always released before the next one opens.
 */
export interface UpstreamLoopOptions {
  readonly url: string;
  readonly userAgent: string;
  readonly stallTimeoutMs: number;
  readonly backoff: BackoffSettings;
  readonly ingest: Ingest;
  readonly logger: Logger;
  readonly onFrame: (frame: Frame) => void;
  readonly onBytes: (count: number) => void;
  readonly onConnected: (connected: boolean) => void;
  /** Every end but a stop: why, and what the connection said. */
  readonly onDisconnect: (end: UpstreamEnd & { readonly cause: DisconnectCause }) => void;
  readonly open?: typeof openUpstream;
  readonly random?: () => number;
}

export interface UpstreamLoop {
  run(): Promise<void>;
  stop(): Promise<void>;
  pause(): void;
  resume(): void;
  /** A complete event arrived within the stall timeout (or reading is paused for back-pressure). */
  flowing(): boolean;
}

export function createUpstreamLoop(options: UpstreamLoopOptions): UpstreamLoop {
  const open = options.open ?? openUpstream;
  const { logger } = options;
  let stopped = false;
  let paused = false;
  let connection: UpstreamConnection | undefined;
  let watchdog: Watchdog | undefined;
  let wake: (() => void) | undefined;
  let lastFrameAt: number | undefined;

  async function connectOnce(): Promise<{ end: UpstreamEnd; frames: number }> {
    const request = options.ingest.nextRequest();
    options.ingest.connected(request);
    logger.info({ lastEventId: request.lastEventId, since: request.since }, 'connecting upstream');
    const current = open({
      url: options.url,
      userAgent: options.userAgent,
      request,
      onOpen: () => options.onConnected(true),
      onFrame(frame) {
        lastFrameAt = Date.now();
        watchdog?.feed();
        options.onFrame(frame);
      },
      onBytes: options.onBytes,
      onFrameCut: () =>
        logger.warn(
          { maxBytes: MAX_SSE_FRAME_BYTES },
          'cut an oversize SSE frame: its start goes on (to the DLQ as too large), the rest is dropped',
        ),
    });
    connection = current;
    if (paused) current.pause();
    watchdog = startWatchdog(options.stallTimeoutMs, () => {
      logger.warn(
        { stallTimeoutMs: options.stallTimeoutMs },
        'upstream stalled: no event within the stall timeout, reconnecting',
      );
      void current.close('stall');
    });
    if (paused) watchdog.suspend();
    const end = await current.ended;
    watchdog.stop();
    await current.close();
    connection = undefined;
    options.onConnected(false);
    return { end, frames: current.frames };
  }

  function describe(end: UpstreamEnd, frames: number, delay: number): void {
    const context = { cause: end.cause, status: end.status, detail: end.detail, frames, retryInMs: delay };
    if (end.cause === 'http_403') {
      logger.error(
        context,
        'upstream refused the request (403): check USER_AGENT, it must name the client and a contact',
      );
    } else if (end.cause === 'redirect_refused') {
      logger.error(
        { ...context, target: end.target },
        'upstream redirect refused: only redirects within its own origin are followed; check EVENTSTREAMS_URL',
      );
    } else logger.warn(context, 'upstream connection ended');
  }

  return {
    async run() {
      let attempt = 0;
      while (!stopped) {
        const { end, frames } = await connectOnce();
        if (stopped || end.cause === 'closed') break;
        options.onDisconnect({ ...end, cause: end.cause });
        attempt = frames > 0 ? 1 : attempt + 1;
        const delay = reconnectDelay(end.cause, attempt, options.backoff, options.random);
        describe(end, frames, delay);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    },
    async stop() {
      stopped = true;
      wake?.();
      await connection?.close('closed');
    },
    pause() {
      paused = true;
      connection?.pause();
      watchdog?.suspend();
    },
    resume() {
      if (!paused) return;
      paused = false;
      connection?.resume();
      watchdog?.resume();
    },
    flowing: () => paused || (lastFrameAt !== undefined && Date.now() - lastFrameAt < options.stallTimeoutMs),
  };
}
