import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishModel } from '../src/store/publish.js';
import { S3ModelStore } from '../src/store/s3-store.js';
import { TINY_ARTIFACT } from './api/helpers.js';
import { setEnv, startS3, type TestS3 } from './support/s3-server.js';

const root = new URL('..', import.meta.url).pathname;
const bundle = join(root, 'dist/lambda/index.mjs');
/** Node 22 and 24, the Lambda runtimes' majors, where .ci/run installed them (npm packages node@22, node@24). */
const runtimes = [{ name: `this Node (${process.version})`, bin: process.execPath }];
for (const major of [22, 24]) {
  const bin = join(root, `.cache/node${major}/node_modules/node/bin/node`);
  const running = Number(process.versions.node.split('.')[0]) === major;
  if (existsSync(bin) && !running) runtimes.push({ name: `Node ${major} (a Lambda runtime)`, bin });
}

describe('the built Lambda bundle (npm run build:lambda)', () => {
  let s3: TestS3;
  let restore: () => void;
  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, 'scripts/build-lambda.mjs')], { cwd: root, stdio: 'pipe' });
    s3 = await startS3(['models']);
    restore = setEnv(s3.env);
    // Published as `sentiment publish` does; the Lambda is given the manifest it printed.
    await publishModel(new S3ModelStore(), TINY_ARTIFACT, 's3://models/sentiment');
  }, 120_000);
  afterAll(async () => {
    restore();
    await s3.close();
  });

  it('is one self-contained file', () => {
    expect(existsSync(bundle)).toBe(true);
    expect(readFileSync(bundle, 'utf8')).not.toMatch(/from\s*["'](?:hono|@aws-sdk|zod)/);
  });

  // zod is imported as a namespace (`import * as z`), so the bundler drops what is not used, its
  // other languages' messages (257 KiB) included; `import { z }` kept them all.
  it("carries zod's English messages only, not its other 47 languages", () => {
    const text = readFileSync(bundle, 'utf8');
    expect(text).toContain('Invalid input: expected ');
    expect(text).not.toContain('Input tidak valid'); // Indonesian
  });

  // Asynchronous: the S3 server runs in this process and must keep answering.
  it.each(runtimes)(
    'answers an HTTP API event with the published model read from S3 through its manifest, on $name',
    async ({ bin }) => {
      const result = join(mkdtempSync(join(tmpdir(), 'bundle-')), 'result.json');
      await promisify(execFile)(
        bin,
        [
          join(root, 'test/support/invoke-bundle.mjs'),
          bundle,
          join(root, 'test/fixtures/events/http-api-v2.json'),
          result,
          '20',
        ],
        {
          cwd: tmpdir(),
          env: { PATH: process.env.PATH ?? '', ...s3.env, MODEL_URI: 's3://models/sentiment/manifest.json' },
          timeout: 60_000,
        },
      );
      const output = JSON.parse(readFileSync(result, 'utf8'));
      expect(output.response.statusCode).toBe(200);
      expect(JSON.parse(output.response.body)).toMatchObject({ sentiment: 'positive' });
    },
  );
});
