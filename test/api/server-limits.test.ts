import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BodyBudget } from '../../src/api/body-budget.js';
import { readConfig } from '../../src/api/config.js';
import { createService } from '../../src/api/service.js';
import { Telemetry } from '../../src/api/telemetry.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { MemoryStore } from './helpers.js';

/** A real local server over the tiny model, as `sentiment serve` wires it, with its log lines kept. */
async function serveWith(env: Record<string, string>) {
  const config = readConfig({ MODEL_URI: 'memory://tiny', ...env });
  const telemetry = new Telemetry({ metrics: false, logLevel: 'INFO' });
  const logs: Array<{ level: string; message: string; record?: Record<string, unknown> }> = [];
  for (const level of ['info', 'warn', 'error'] as const)
    vi.spyOn(telemetry.logger, level).mockImplementation((message: unknown, ...rest: unknown[]) => {
      logs.push({ level, message: String(message), record: rest[0] as Record<string, unknown> });
    });
  const { app } = createService(config, telemetry, new MemoryStore(), {
    bodyBudget: new BodyBudget(config.maxInflightBodyBytes),
  });
  const server = await startServer(app, {
    port: 0,
    host: '127.0.0.1',
    maxConnections: config.maxConnections,
    bodyTimeoutMs: config.bodyTimeoutMs,
  });
  return { server, logs, port: Number(new URL(server.url).port) };
}

/** A raw connection that sends the request head and `sent` bytes of a `length`-byte JSON body. */
function partialUpload(port: number, length: number, sent: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`,
      );
      socket.write(`{"review": "${'a '.repeat(Math.max(0, (sent - 12) / 2))}`);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** The status line and JSON body of the answer a socket receives. */
function answer(socket: Socket): Promise<{ status: number; body: string; headers: string }> {
  return new Promise((resolve) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      text += chunk;
    });
    const done = () => {
      const [head, body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1] ?? 0), body, headers: head });
    };
    // Done at the end of the answer (its Content-Length), whether or not the server keeps the connection.
    socket.on('data', () => {
      const [head, body] = text.split('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(head)?.[1];
      if (body !== undefined && length !== undefined && Buffer.byteLength(body) >= Number(length)) done();
    });
    socket.on('end', done);
    socket.on('close', done);
  });
}

const waitFor = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
};

describe('the local server under slow and abandoned uploads', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await server?.close();
    server = undefined;
  });

  it('logs a client that hangs up mid-body at INFO as request_aborted, never as a 500', async () => {
    const started = await serveWith({});
    server = started.server;
    const socket = await partialUpload(started.port, 100_000, 2_000);
    await new Promise((r) => setTimeout(r, 100));
    socket.destroy();
    await waitFor(() => started.logs.some((l) => l.message === 'request'));
    const access = started.logs.find((l) => l.message === 'request');
    expect(access?.record).toMatchObject({ status: 400, errorCode: 'request_aborted' });
    expect(started.logs.filter((l) => l.level === 'error')).toEqual([]);
    expect(started.logs.some((l) => l.level === 'info' && l.message.includes('closed the connection'))).toBe(
      true,
    );
  });

  it('answers a body that stops arriving with a JSON 408 after BODY_TIMEOUT_SECONDS', async () => {
    const started = await serveWith({ BODY_TIMEOUT_SECONDS: '1' });
    server = started.server;
    const socket = await partialUpload(started.port, 50_000, 1_000);
    const response = await answer(socket);
    expect(response.status).toBe(408);
    expect(JSON.parse(response.body).error.code).toBe('request_timeout');
  });

  it('holds at most MAX_INFLIGHT_BODY_BYTES of bodies at once: past it, 503 server_busy with Retry-After', async () => {
    const started = await serveWith({ MAX_INFLIGHT_BODY_BYTES: '30000', MAX_BODY_BYTES: '25000' });
    server = started.server;
    const first = await partialUpload(started.port, 24_000, 20_000);
    const firstAnswer = answer(first);
    await new Promise((r) => setTimeout(r, 200));
    const second = await partialUpload(started.port, 24_000, 20_000);
    const busy = await answer(second);
    expect(busy.status).toBe(503);
    expect(JSON.parse(busy.body).error.code).toBe('server_busy');
    expect(busy.headers.toLowerCase()).toContain('retry-after: 1');
    // The first upload finishes normally, and its bytes go back to the budget.
    first.write(`${'a'.repeat(24_000 - 20_000 - 2)}"}`);
    expect((await firstAnswer).status).toBe(200);
    const third = await fetch(`${started.server.url}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ review: 'b '.repeat(10_000) }),
    });
    expect(third.status).toBe(200);
  });

  it('closes connections beyond MAX_CONNECTIONS on arrival', async () => {
    const started = await serveWith({ MAX_CONNECTIONS: '2' });
    server = started.server;
    const held = [await partialUpload(started.port, 1_000, 20), await partialUpload(started.port, 1_000, 20)];
    const extra = await partialUpload(started.port, 1_000, 20).catch(() => null);
    const result = extra ? await answer(extra) : { status: 0 };
    expect(result.status).toBe(0);
    for (const socket of held) socket.destroy();
  });
});
