import { createConnection, createServer, type Socket } from 'node:net';

/** A TCP proxy in front of the real Elasticsearch that counts the requests it sees and can hold them. */
export interface EsGate {
  /** The proxy's address, to use as ELASTICSEARCH_URL. */
  readonly url: string;
  /** HTTP requests that reached the gate so far (held ones too). */
  requests(): number;
  /** From now on, bytes towards Elasticsearch wait at the gate: requests stay in flight. */
  hold(): void;
  /** Lets every waiting byte through and stops holding. */
  release(): void;
  close(): Promise<void>;
}

const REQUEST_LINE = /(?:^|\r\n)(?:GET|POST|PUT|DELETE|HEAD) \S+ HTTP\/1\.1\r\n/g;

export async function startEsGate(elasticsearchUrl: string): Promise<EsGate> {
  const target = new URL(elasticsearchUrl);
  const sockets = new Set<Socket>();
  const waiting: { upstream: Socket; chunk: Buffer }[] = [];
  let held = false;
  let requests = 0;

  const server = createServer((client) => {
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => {
      requests += chunk.toString('latin1').match(REQUEST_LINE)?.length ?? 0;
      if (held) waiting.push({ upstream, chunk });
      else upstream.write(chunk);
    });
    client.on('end', () => upstream.end());
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    hold() {
      held = true;
    },
    release() {
      held = false;
      for (const { upstream, chunk } of waiting.splice(0)) if (!upstream.destroyed) upstream.write(chunk);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
