import { describe, expect, it, vi } from 'vitest';
import { clientId, Telemetry } from '../../src/api/telemetry.js';
import { post, testService } from './helpers.js';

describe('request logs', () => {
  it('cuts a client request id to 128 printable characters', () => {
    expect(clientId('abc-123')).toBe('abc-123');
    expect(clientId('x'.repeat(100_000))).toBe(`${'x'.repeat(128)}…`);
    expect(clientId('a\nb\u0000c\u00e9')).toBe('a?b?c?');
  });

  it('never logs a 100 KB X-Request-Id verbatim', async () => {
    const { app } = testService();
    const telemetry = new Telemetry({ metrics: false });
    const lines: string[] = [];
    const spy = vi.spyOn(telemetry.logger, 'info').mockImplementation((...args: unknown[]) => {
      lines.push(JSON.stringify(args));
    });
    telemetry.request(
      { method: 'POST', path: '/predict', status: 200, latencyMs: 1, requestId: 'y'.repeat(100_000) },
      false,
    );
    spy.mockRestore();
    expect(lines[0].length).toBeLessThan(1_000);
    expect(lines[0]).toContain('y'.repeat(128));
    // And the app passes the header through the same path.
    const { path, ...init } = post({ review: 'great' });
    const response = await app.request(path, {
      ...init,
      headers: { ...init.headers, 'x-request-id': 'z'.repeat(100_000) },
    });
    expect(response.status).toBe(200);
  });
});
