import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/server.js';
import { testService } from './helpers.js';

const dir = new URL('../../sample-requests/', import.meta.url).pathname;
const expected = Object.fromEntries(
  [
    ...readFileSync(join(dir, 'invalid/README.md'), 'utf8').matchAll(
      /\| `([\w-]+\.json)` \| (\d+) \| `(\w+)` \|/g,
    ),
  ].map(([, file, status, code]) => [file, { status: Number(status), code }]),
);

describe('sample-requests/', () => {
  const { app } = testService();

  it.each(['positive', 'negative', 'mixed', 'batch', 'explain'])(
    '%s.json is answered with 200',
    async (name) => {
      const response = await app.request('/predict', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: readFileSync(join(dir, `${name}.json`)),
      });
      expect(response.status).toBe(200);
    },
  );

  it('documents every invalid request with the status and code it gets', async () => {
    const files = readdirSync(join(dir, 'invalid')).filter((f) => f.endsWith('.json'));
    expect(Object.keys(expected).sort()).toEqual(files.sort());
    for (const file of files) {
      const response = await app.request('/predict', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: readFileSync(join(dir, 'invalid', file)),
      });
      expect({
        file,
        status: response.status,
        code: ((await response.json()) as { error: { code: string } }).error.code,
      }).toEqual({
        file,
        ...expected[file],
      });
    }
  });

  describe('send.sh against a running server', () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer(app, { port: 0, host: '127.0.0.1' });
    });
    afterAll(() => server.close());

    it('sends every request with curl and shows each status', async () => {
      const { stdout } = await promisify(execFile)('bash', [join(dir, 'send.sh'), server.url]);
      const statuses = [...stdout.matchAll(/\(HTTP (\d+)\)/g)].map((m) => Number(m[1]));
      expect(statuses).toEqual([200, 200, 200, 200, 200, 400, 400, 400, 400, 400, 415, 405, 404, 200]);
    });
  });
});
