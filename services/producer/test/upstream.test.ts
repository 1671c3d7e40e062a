import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Frame } from '../src/classify-frame.ts';
import { openUpstream, type UpstreamEnd } from '../src/upstream.ts';

const PATH = '/v2/stream/recentchange';
const AGENT = 'wikistream-test/0.1.0 (https://github.com/wikistream/wikistream)';
const LAST_ID = '[{"topic":"eqiad.mediawiki.recentchange","partition":0,"timestamp":1700000000001}]';
const FRAME = `event: message\nid: ${LAST_ID}\ndata: {"meta":{"id":"e1","dt":"2023-11-14T22:13:20Z"}}\n\n`;

interface Seen {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

/**
 * A real HTTP server on its own port (its own origin): `routes` maps a path to a redirect; the
 * stream path answers one event and stays open. It records every request it receives.
 */
async function server(routes: Record<string, { status: number; location: string }> = {}) {
  const seen: Seen[] = [];
  const http = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    seen.push({ path, headers: req.headers });
    const route = routes[path];
    if (route) res.writeHead(route.status, { location: route.location }).end();
    else if (path === PATH) res.writeHead(200, { 'content-type': 'text/event-stream' }).write(FRAME);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  );
  return { origin: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, seen, routes };
}

/** Opens one connection and waits for its first frame or its end, whichever comes first. */
async function connect(url: string) {
  const frames: Frame[] = [];
  let opened = false;
  const first = Promise.withResolvers<'frame'>();
  const connection = openUpstream({
    url,
    userAgent: AGENT,
    request: { lastEventId: LAST_ID },
    onOpen: () => {
      opened = true;
    },
    onFrame: (frame) => {
      frames.push(frame);
      first.resolve('frame');
    },
    onBytes: () => undefined,
  });
  onTestFinished(() => connection.close());
  const outcome: UpstreamEnd | 'frame' = await Promise.race([connection.ended, first.promise]);
  return { outcome, frames, opened: () => opened };
}

describe('the upstream connection and redirects', () => {
  it.each([301, 302, 307, 308])(
    'refuses a %i to another origin and sends that origin nothing, not even a request',
    async (status) => {
      const other = await server();
      const moved = await server({ [PATH]: { status, location: `${other.origin}${PATH}` } });
      const { outcome, frames, opened } = await connect(`${moved.origin}${PATH}?since=1`);
      expect(outcome).toMatchObject({ cause: 'redirect_refused', status, target: other.origin });
      expect(other.seen).toEqual([]);
      expect(frames).toEqual([]);
      expect(opened()).toBe(false);
    },
  );

  it.each([301, 302, 307, 308])(
    'follows a %i within its own origin, with its User-Agent and Last-Event-ID',
    async (status) => {
      const here = await server();
      here.routes['/old'] = { status, location: PATH };
      here.routes['/older'] = { status, location: `${here.origin}/old` };
      const { outcome, frames } = await connect(`${here.origin}/older`);
      expect(outcome).toBe('frame');
      expect(frames[0]?.id).toBe(LAST_ID);
      expect(here.seen.map((request) => request.path)).toEqual(['/older', '/old', PATH]);
      expect(here.seen.at(-1)?.headers).toMatchObject({ 'user-agent': AGENT, 'last-event-id': LAST_ID });
    },
  );

  it('refuses a redirect that loops within its own origin after a few hops', async () => {
    const here = await server();
    here.routes['/loop'] = { status: 307, location: '/loop' };
    const { outcome } = await connect(`${here.origin}/loop`);
    expect(outcome).toMatchObject({ cause: 'redirect_refused', status: 307, target: here.origin });
    expect(here.seen.length).toBeLessThanOrEqual(6);
  });
});

describe('the upstream connection and oversize frames', () => {
  it('hands on a frame too big for the SSE parser cut down, and the frames after it whole', async () => {
    const giant = `{"meta":{"id":"giant"},"comment":"${'x'.repeat(17 * 1024 * 1024)}"}`;
    const frame = (n: number, data: string) =>
      `event: message\nid: [{"topic":"eqiad.mediawiki.recentchange","partition":0,"timestamp":${n}}]\ndata: ${data}\n\n`;
    const http = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(frame(1, '{"n":1}'));
      res.write(frame(2, giant));
      res.write(frame(3, '{"n":3}'));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
    onTestFinished(
      () =>
        new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeAllConnections();
        }),
    );
    const frames: Frame[] = [];
    const third = Promise.withResolvers<'third'>();
    const connection = openUpstream({
      url: `http://127.0.0.1:${(http.address() as AddressInfo).port}${PATH}`,
      userAgent: AGENT,
      request: {},
      onOpen: () => undefined,
      onFrame: (received) => {
        frames.push(received);
        if (frames.length === 3) third.resolve('third');
      },
      onBytes: () => undefined,
    });
    onTestFinished(() => connection.close());
    expect(await Promise.race([connection.ended, third.promise])).toBe('third');
    expect(frames.map((received) => received.id.slice(-15))).toEqual([
      '"timestamp":1}]',
      '"timestamp":2}]',
      '"timestamp":3}]',
    ]);
    expect(frames[1]?.data.startsWith('{"meta":{"id":"giant"}')).toBe(true);
    expect(frames[1]?.data.length).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(frames[2]?.data).toBe('{"n":3}');
  });
});
