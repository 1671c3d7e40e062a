import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

/**
 * An HTTP proxy in front of the replay server, frame-aware, for what the replay server cannot do
 * itself: send frames of its own into a connection (hostile input), trickle bytes that never
 * complete an event, and redirect. It forwards User-Agent and Last-Event-ID, so resuming works
 * through it exactly as against the replay server.
 */
export interface ProxyRequest {
  readonly at: number;
  readonly path: string;
  readonly userAgent: string | undefined;
  readonly lastEventId: string | undefined;
  status: number;
  /** Data frames forwarded from the upstream (injected ones not counted). */
  frames: number;
  closedAt?: number;
}

/**
 * A raw SSE block (without its blank line) at a fixed place in the stream: before the event with
 * this `meta.offset` (the replay log's offset), on every connection that sends that event, as a
 * real upstream would send it again after a resume.
 */
export interface Injection {
  readonly beforeOffset: number;
  readonly block: string;
  /** Only on the first connection that reaches it. */
  readonly once?: boolean;
  /** End the connection right after the block, the first time it is sent. */
  readonly thenEnd?: boolean;
}

/** `comment`: a `:` line at every tick; `partial`: an unfinished data line, a byte at every tick. */
export type TrickleMode = 'comment' | 'partial';

export interface UpstreamProxy {
  readonly origin: string;
  /** The stream URL through the proxy. */
  readonly url: string;
  readonly requests: readonly ProxyRequest[];
  /** Places these blocks in the stream of this and every later connection. */
  inject(injections: readonly Injection[]): void;
  /** Open and new connections stop forwarding events and trickle instead; undefined ends it. */
  trickle(mode: TrickleMode | undefined): void;
  /** Answers requests for `path` with this redirect from now on; undefined ends it. */
  redirect(path: string, to: { status: number; location: string } | undefined): void;
}

const TRICKLE_MS = 200;

export async function startUpstreamProxy(target: string): Promise<UpstreamProxy> {
  const upstream = new URL(target);
  const requests: ProxyRequest[] = [];
  const redirects = new Map<string, { status: number; location: string }>();
  const tricklers = new Set<(mode: TrickleMode) => void>();
  let trickleMode: TrickleMode | undefined;
  let injections: readonly Injection[] = [];
  const used = new Set<Injection>();

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const record: ProxyRequest = {
      at: Date.now(),
      path: url.pathname,
      userAgent: header('user-agent'),
      lastEventId: header('last-event-id'),
      status: 0,
      frames: 0,
    };
    requests.push(record);
    res.on('close', () => {
      record.closedAt = Date.now();
    });
    const moved = redirects.get(url.pathname);
    if (moved) {
      record.status = moved.status;
      res.writeHead(moved.status, { location: moved.location }).end();
      return;
    }
    if (trickleMode) {
      record.status = 200;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(':ok\n\n');
      startTrickle(res, trickleMode);
      return;
    }
    forward(req, res, record, `${url.pathname}${url.search}`);
  });

  function startTrickle(res: ServerResponse, mode: TrickleMode): void {
    if (mode === 'partial') res.write('event: message\nid: [{"topic":"eqiad.mediawiki.recentchange"');
    const timer = setInterval(() => res.write(mode === 'comment' ? ':\n' : ' '), TRICKLE_MS);
    res.on('close', () => clearInterval(timer));
  }

  function forward(req: IncomingMessage, res: ServerResponse, record: ProxyRequest, path: string): void {
    const headers: Record<string, string> = {};
    for (const name of ['user-agent', 'last-event-id', 'accept']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const outgoing = request({ host: upstream.hostname, port: upstream.port, path, headers }, (answer) => {
      record.status = answer.statusCode ?? 0;
      res.writeHead(record.status, answer.headers);
      if (record.status !== 200) {
        answer.pipe(res);
        return;
      }
      let buffer = '';
      let trickling = false;
      /** Writes the blocks due before this data frame; false when one of them ended the connection. */
      const injectBefore = (frame: string) => {
        const offset = offsetOf(frame);
        for (const injection of injections) {
          if (injection.beforeOffset !== offset || (injection.once && used.has(injection))) continue;
          const first = !used.has(injection);
          used.add(injection);
          res.write(`${injection.block}\n\n`);
          if (injection.thenEnd && first) {
            res.end();
            outgoing.destroy();
            return false;
          }
        }
        return true;
      };
      const stopAndTrickle = (mode: TrickleMode) => {
        tricklers.delete(stopAndTrickle);
        trickling = true;
        outgoing.destroy();
        startTrickle(res, mode);
      };
      tricklers.add(stopAndTrickle);
      res.on('close', () => tricklers.delete(stopAndTrickle));
      answer.setEncoding('utf8');
      answer.on('data', (chunk: string) => {
        if (trickling || res.writableEnded) return;
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const isData = /^data:/m.test(block);
          if (isData && !injectBefore(block)) return;
          res.write(`${block}\n\n`);
          if (isData) record.frames++;
          end = buffer.indexOf('\n\n');
        }
      });
      answer.on('end', () => res.end());
    });
    outgoing.on('error', () => res.destroy());
    res.on('close', () => outgoing.destroy());
    outgoing.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return {
    origin,
    url: `${origin}${upstream.pathname}`,
    requests,
    inject(list) {
      injections = [...list];
    },
    trickle(mode) {
      trickleMode = mode;
      if (mode) for (const stop of [...tricklers]) stop(mode);
    },
    redirect(path, to) {
      if (to) redirects.set(path, to);
      else redirects.delete(path);
    },
  };
}

/** `meta.offset` of the event in a data block, if it has one. */
function offsetOf(block: string): number | undefined {
  const data = /^data: ?(.*)$/m.exec(block)?.[1];
  try {
    const offset = (JSON.parse(data ?? '') as { meta?: { offset?: unknown } }).meta?.offset;
    return typeof offset === 'number' ? offset : undefined;
  } catch {
    return undefined;
  }
}
