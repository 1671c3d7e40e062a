import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Logger, PROJECT_VERSION } from '@wikistream/shared';
import type { Registry } from 'prom-client';

export interface Readiness {
  readonly ready: boolean;
  readonly [detail: string]: unknown;
}

export interface MetricsServerOptions {
  readonly port: number;
  readonly registry: Registry;
  readonly readiness: () => Promise<Readiness>;
  readonly logger: Logger;
}

export interface MetricsServer {
  readonly name: string;
  start(): Promise<void>;
  close(): Promise<void>;
  /** The bound port (useful with METRICS_PORT=0). */
  port(): number;
}

/** `/metrics` (Prometheus), `/healthz` (the process answers), `/readyz` (consuming, and Elasticsearch answers now). */
export function createMetricsServer(options: MetricsServerOptions): MetricsServer {
  let server: Server | undefined;
  let bound = 0;
  const handle = async (path: string): Promise<{ status: number; type: string; body: string }> => {
    if (path === '/metrics') {
      return { status: 200, type: options.registry.contentType, body: await options.registry.metrics() };
    }
    if (path === '/healthz') {
      return {
        status: 200,
        type: 'application/json',
        body: JSON.stringify({ status: 'ok', version: PROJECT_VERSION }),
      };
    }
    if (path === '/readyz') {
      const readiness = await options.readiness();
      return {
        status: readiness.ready ? 200 : 503,
        type: 'application/json',
        body: JSON.stringify(readiness),
      };
    }
    return { status: 404, type: 'application/json', body: '{"code":"not_found"}' };
  };
  return {
    name: 'metrics-server',
    start: () =>
      new Promise((resolve, reject) => {
        const created = createServer((request, response) => {
          const path = new URL(request.url ?? '/', 'http://localhost').pathname;
          handle(path)
            .then(({ status, type, body }) => response.writeHead(status, { 'content-type': type }).end(body))
            .catch((error: unknown) => {
              options.logger.error({ err: error, path }, 'metrics request failed');
              response.writeHead(500).end();
            });
        });
        created.once('error', reject);
        created.listen(options.port, () => {
          bound = (created.address() as AddressInfo).port;
          server = created;
          options.logger.info({ port: bound }, 'metrics listening');
          resolve();
        });
      }),
    close: () =>
      new Promise((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
        server = undefined;
      }),
    port: () => bound,
  };
}
