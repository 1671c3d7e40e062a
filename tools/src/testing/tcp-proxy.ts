import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { onTestFinished } from 'vitest';

/**
 * A TCP proxy in front of a real service, so a test can make the service unreachable (refused
 * connections, cut sockets) or slow (bytes held at the proxy) and bring it back, and see what
 * clients send, without stopping the engine other tests share.
 * Not usable for Kafka, whose clients connect to the address the broker advertises.
 */
export interface TcpProxy {
  readonly port: number;
  readonly url: string;
  /** Closes every open connection and refuses new ones until restore(). */
  cut(): Promise<void>;
  restore(): Promise<void>;
  /** From now on, bytes from clients wait at the proxy: their requests stay in flight. */
  hold(): void;
  /** Lets every waiting byte through and stops holding. */
  release(): void;
  close(): Promise<void>;
}

export interface TcpProxyOptions {
  /** Sees every chunk a client sends, held or not (e.g. to count requests). */
  readonly onClientData?: (chunk: Buffer) => void;
  /** Close it when the current test finishes (default); false for a proxy a hook makes and closes. */
  readonly closeAfterTest?: boolean;
}

export async function startTcpProxy(
  target: { host: string; port: number },
  options: TcpProxyOptions = {},
): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const waiting: { upstream: Socket; chunk: Buffer }[] = [];
  let held = false;
  let server: Server | undefined;
  let port = 0;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const created = createServer((client) => {
        const upstream = createConnection(target);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.once('close', () => sockets.delete(socket));
          socket.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.on('data', (chunk: Buffer) => {
          options.onClientData?.(chunk);
          if (held) waiting.push({ upstream, chunk });
          else upstream.write(chunk);
        });
        client.on('end', () => upstream.end());
        upstream.pipe(client);
      });
      created.once('error', reject);
      created.listen(port, '127.0.0.1', () => {
        const address = created.address();
        if (typeof address === 'object' && address) port = address.port;
        server = created;
        resolve();
      });
    });

  const stopListening = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      if (!server) return resolve();
      const closing = server;
      server = undefined;
      closing.close(() => resolve());
    });

  await listen();
  const proxy: TcpProxy = {
    port,
    url: `http://localhost:${port}`,
    cut: stopListening,
    restore: async () => {
      if (!server) await listen();
    },
    hold() {
      held = true;
    },
    release() {
      held = false;
      for (const { upstream, chunk } of waiting.splice(0)) if (!upstream.destroyed) upstream.write(chunk);
    },
    close: stopListening,
  };
  if (options.closeAfterTest !== false) onTestFinished(() => proxy.close());
  return proxy;
}
