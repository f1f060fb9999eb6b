import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export interface ServerLimits {
  port: number;
  host: string;
  /** Open connections; more are closed on arrival (default 256). */
  maxConnections?: number;
  /**
   * The app answers a body slower than this with a JSON 408; Node's own request timeout (a bare 408
   * and a closed connection) backs it up 5 s later, and headers must arrive within the same time.
   */
  bodyTimeoutMs?: number;
}

/** Serves the app with Node's HTTP server, on 127.0.0.1 unless told otherwise, within `limits`. */
export function startServer(
  app: { fetch: (request: Request) => Response | Promise<Response> },
  limits: ServerLimits,
): Promise<RunningServer> {
  const bodyTimeoutMs = limits.bodyTimeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: app.fetch,
        port: limits.port,
        hostname: limits.host,
        serverOptions: {
          headersTimeout: bodyTimeoutMs,
          requestTimeout: bodyTimeoutMs + 5000,
          // How often Node checks those timeouts (its default, 30 s, would let them run late).
          connectionsCheckingInterval: 1000,
        },
      },
      (info: AddressInfo) => {
        const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${host}:${info.port}`,
          close: () =>
            new Promise<void>((done, fail) => {
              server.close((error) => (error ? fail(error) : done()));
              if ('closeIdleConnections' in server) server.closeIdleConnections();
            }),
        });
      },
    ) as Server;
    server.maxConnections = limits.maxConnections ?? 256;
    server.once('error', reject);
  });
}
