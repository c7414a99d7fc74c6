import http from 'node:http';
import type {Registry} from 'prom-client';
import type {MetricsAddress} from '../config/fleet-options.js';

/** `--metrics` could not listen: the address is taken (exit 1) or is not this machine's (exit 2). */
export class MetricsListenError extends Error {
  override readonly name = 'MetricsListenError';
  readonly exitCode: number;

  constructor(message: string, exitCode: number) {
    super(message);
    this.exitCode = exitCode;
  }
}

export type MetricsServer = {
  /** `http://127.0.0.1:9464/metrics`, with the port bound. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
};

/** Scrapes are small and quick: a stranger's connection cannot hold the server for long. */
const requestTimeoutMs = 10_000;
const maxConnections = 64;

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function reply(
  response: http.ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    ...headers,
  });
  response.end(body);
}

/**
 * Serves `GET /metrics` (and HEAD) in the Prometheus text format; 404 for any other path, 405 for
 * any other method. A request body is never read.
 */
export async function startMetricsServer(
  address: MetricsAddress,
  registry: Registry,
): Promise<MetricsServer> {
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      reply(response, 404, 'Not found: metrics are at /metrics\n');
      return;
    }

    if (request.method !== 'GET' && request.method !== 'HEAD') {
      reply(response, 405, 'Only GET is allowed here\n', {allow: 'GET, HEAD'});
      return;
    }

    registry.metrics().then(
      (text) => {
        reply(response, 200, request.method === 'HEAD' ? '' : text, {
          'content-type': registry.contentType,
        });
      },
      (error: unknown) => {
        reply(
          response,
          500,
          `metrics failed: ${error instanceof Error ? error.message : String(error)}\n`,
        );
      },
    );
  });
  server.requestTimeout = requestTimeoutMs;
  server.headersTimeout = requestTimeoutMs;
  server.keepAliveTimeout = 5000;
  server.maxConnections = maxConnections;
  server.maxHeadersCount = 100;
  // A broken client connection is its own affair, never the server's.
  server.on('clientError', (_error, socket) => {
    socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const where = `${hostForUrl(address.host)}:${address.port}`;
      if (error.code === 'EADDRINUSE') {
        reject(
          new MetricsListenError(
            `--metrics: ${where} is already in use; pick another port`,
            1,
          ),
        );
      } else if (error.code === 'EACCES') {
        reject(
          new MetricsListenError(
            `--metrics: not allowed to listen on ${where}; pick a port from 1024 up`,
            1,
          ),
        );
      } else {
        reject(
          new MetricsListenError(
            `--metrics: cannot listen on ${where} (${error.code ?? error.message}); use an address of this machine`,
            2,
          ),
        );
      }
    });
    server.listen(address.port, address.host, () => {
      resolve();
    });
  });
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : address.port;
  return {
    url: `http://${hostForUrl(address.host)}:${port}/metrics`,
    port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
    },
  };
}
