import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Another origin a hostile upstream redirects to: it records every request it gets and answers
 * with an event stream of its own, so a producer that followed the redirect would both leak its
 * User-Agent and Last-Event-ID and index an event the real upstream never sent.
 */
export interface ForeignOrigin {
  readonly origin: string;
  readonly requests: readonly { readonly url: string; readonly headers: Record<string, unknown> }[];
  close(): Promise<void>;
}

export async function startForeignOrigin(): Promise<ForeignOrigin> {
  const requests: { url: string; headers: Record<string, unknown> }[] = [];
  const server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: { ...req.headers } });
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const event = {
      $schema: '/mediawiki/recentchange/1.0.0',
      meta: { id: 'f0000000-0000-5000-8000-000000000000', dt: new Date().toISOString(), domain: 'foreign' },
      type: 'edit',
      title: 'Foreign',
      wiki: 'foreignwiki',
    };
    res.end(
      `id: [{"topic":"foreign","partition":0,"offset":1}]\nevent: message\ndata: ${JSON.stringify(event)}\n\n`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
