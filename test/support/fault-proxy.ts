import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with one request. */
export type Fault = 'pass' | 'slowdown' | 'error500' | 'reset' | 'hang' | 'slow-body';

/**
 * An HTTP proxy in front of the S3 test server that injects faults: each request takes the next
 * fault from the queue (then `fallback`). Counts the requests it saw.
 */
export async function startFaultProxy(target: string) {
  const queue: Fault[] = [];
  let fallback: Fault = 'pass';
  let requests = 0;
  const hung = new Set<import('node:http').ServerResponse>();
  const server: Server = createServer((req, res) => {
    requests++;
    const fault = queue.shift() ?? fallback;
    if (fault === 'slowdown' || fault === 'error500') {
      const [status, code] = fault === 'slowdown' ? [503, 'SlowDown'] : [500, 'InternalError'];
      res.writeHead(status, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>injected</Message></Error>`,
      );
      req.resume();
      return;
    }
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault === 'hang') {
      hung.add(res);
      req.resume();
      return;
    }
    const url = new URL(req.url ?? '/', target);
    const upstream = httpRequest(
      url,
      { method: req.method, headers: { ...req.headers, host: url.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        if (fault !== 'slow-body') {
          up.pipe(res);
          return;
        }
        // Trickle the body: a byte every 50 ms, never idle long enough for a socket timeout.
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => {
          const body = Buffer.concat(chunks);
          let at = 0;
          const timer = setInterval(() => {
            if (res.destroyed || at >= body.length) {
              clearInterval(timer);
              res.end();
              return;
            }
            res.write(body.subarray(at, at + 1));
            at++;
          }, 50);
        });
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    inject(...faults: Fault[]) {
      queue.push(...faults);
    },
    always(fault: Fault) {
      fallback = fault;
      queue.length = 0;
    },
    get requests() {
      return requests;
    },
    resetCount() {
      requests = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hung) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
