import { EventSource, type FetchLike, type FetchLikeResponse } from 'eventsource';
import { causeOfStatus, type DisconnectCause } from './backoff.ts';
import type { Frame } from './classify-frame.ts';
import { MAX_REDIRECTS, MAX_SSE_BUFFER_BYTES, MAX_SSE_FRAME_BYTES } from './defaults.ts';
import { createFrameLimiter } from './frame-limit.ts';
import type { ResumeRequest } from './ingest.ts';
import { fetchSameOrigin } from './same-origin-fetch.ts';

/**
 * One connection to EventStreams through `eventsource`, which is used only as the SSE parser and
 * never reconnects by itself: any error closes it and the caller decides when to connect again.
 * A custom fetch sends our User-Agent and Last-Event-ID, follows redirects only within the
 * upstream's origin (`redirect_refused` otherwise), counts the bytes and lets the caller pause
 * reading (back-pressure reaches the server through TCP).
 */
export interface UpstreamEnd {
  readonly cause: DisconnectCause | 'closed';
  readonly status?: number;
  readonly detail?: string;
  /** Where a refused redirect pointed (its origin only). */
  readonly target?: string | undefined;
}

export interface UpstreamConnection {
  /** Resolves once, when the connection has ended for any reason. */
  readonly ended: Promise<UpstreamEnd>;
  readonly frames: number;
  pause(): void;
  resume(): void;
  /** Ends the connection with `cause` and waits until its socket is released. */
  close(cause?: DisconnectCause | 'closed'): Promise<void>;
}

export interface UpstreamOptions {
  readonly url: string;
  readonly userAgent: string;
  readonly request: ResumeRequest;
  readonly onOpen: () => void;
  readonly onFrame: (frame: Frame) => void;
  readonly onBytes: (count: number) => void;
  /** A frame over MAX_SSE_FRAME_BYTES was cut down before the parser. */
  readonly onFrameCut?: () => void;
  readonly fetch?: typeof fetch;
}

type Reader = ReadableStreamDefaultReader<Uint8Array>;

export function openUpstream(options: UpstreamOptions): UpstreamConnection {
  let frames = 0;
  let paused: PromiseWithResolvers<void> | undefined;
  let reader: Reader | undefined;
  let released!: () => void;
  const bodyReleased = new Promise<void>((resolve) => {
    released = resolve;
  });
  let finish!: (end: UpstreamEnd) => void;
  let finished = false;
  const ended = new Promise<UpstreamEnd>((resolve) => {
    finish = (end) => {
      if (finished) return;
      finished = true;
      source.close();
      paused?.resolve();
      void reader?.cancel().catch(() => undefined);
      if (!reader) released();
      resolve(end);
    };
  });

  const url = new URL(options.url);
  if (options.request.since !== undefined) url.searchParams.set('since', String(options.request.since));
  const doFetch = options.fetch ?? fetch;

  const customFetch: FetchLike = async (input, init) => {
    const headers: Record<string, string> = { ...init.headers, 'User-Agent': options.userAgent };
    if (options.request.lastEventId !== undefined) headers['Last-Event-ID'] = options.request.lastEventId;
    const result = await fetchSameOrigin(doFetch, new URL(input), { ...init, headers }, MAX_REDIRECTS);
    if (result.kind === 'refused') {
      const { status, target, detail } = result;
      finish({ cause: 'redirect_refused', status, target, detail });
      released();
      // EventSource fails the connection on this status; `finish` already said why.
      return { body: null, url: String(input), status, redirected: false, headers: new Headers() };
    }
    const { response } = result;
    if (response.status !== 200 || !response.body) {
      released();
      return response as unknown as FetchLikeResponse;
    }
    reader = response.body.getReader();
    const current = reader;
    const limit = createFrameLimiter(MAX_SSE_FRAME_BYTES, () => options.onFrameCut?.());
    const body = {
      getReader: () => ({
        async read() {
          if (paused) await paused.promise;
          try {
            const chunk = await current.read();
            if (chunk.done) {
              released();
              return chunk;
            }
            options.onBytes(chunk.value.byteLength);
            return { done: false as const, value: limit(chunk.value) };
          } catch (error) {
            released();
            throw error;
          }
        },
        cancel: () => current.cancel().finally(released),
      }),
    };
    return {
      body,
      url: response.url,
      status: 200,
      redirected: response.redirected,
      headers: response.headers,
    };
  };

  const source = new EventSource(url, { fetch: customFetch, maxBufferSize: MAX_SSE_BUFFER_BYTES });
  source.addEventListener('open', () => options.onOpen());
  source.addEventListener('message', (event: MessageEvent) => {
    frames++;
    options.onFrame({ data: event.data as string, id: event.lastEventId, receivedAt: Date.now() });
  });
  source.addEventListener('error', (event: Event) => {
    if (event instanceof MessageEvent) {
      // `event: error` sent by the server after the stream started: it closes the stream next.
      finish({ cause: 'server_error_event', detail: String(event.data).slice(0, 500) });
      return;
    }
    const { code, message } = event as Event & { code?: number; message?: string };
    if (code !== undefined && code !== 200)
      finish({ cause: causeOfStatus(code), status: code, detail: message });
    else finish(message === undefined ? { cause: 'end' } : { cause: 'network', detail: message });
  });

  return {
    ended,
    get frames() {
      return frames;
    },
    pause() {
      paused ??= Promise.withResolvers<void>();
    },
    resume() {
      const gate = paused;
      paused = undefined;
      gate?.resolve();
    },
    async close(cause = 'closed') {
      finish({ cause });
      await Promise.race([bodyReleased, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    },
  };
}
