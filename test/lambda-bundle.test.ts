import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

/** The bundle's ES modules: its entry and the chunks beside it. */
const bundleModules = (dir = dirname(bundle)) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.mjs'))
    .map((f) => join(dir, f));
/** Does this file hold the AWS SDK's S3 client? (esbuild's keepNames leaves the class names.) */
const isSdk = (file: string) => readFileSync(file, 'utf8').includes('"GetObjectCommand"');

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

  // Copied away from the repository, where a package import would find node_modules: each chunk
  // (the SDK's, loaded on first use, included) imports what it needs from the bundle or from Node.
  it('is self-contained: every chunk imports, copied where no node_modules is', async () => {
    const away = mkdtempSync(join(tmpdir(), 'bundle-copy-'));
    cpSync(dirname(bundle), away, { recursive: true });
    // Not the entry (index.mjs, which imports app.mjs): importing it starts the function.
    const entries = ['index.mjs', 'app.mjs'].map((f) => join(away, f));
    const chunks = bundleModules(away).filter((f) => !entries.includes(f));
    expect(chunks.length).toBeGreaterThan(1);
    const script = `for (const f of ${JSON.stringify(chunks)}) await import(f);`;
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: away });
  });

  it('keeps the AWS SDK in one chunk of its own, loaded on first use (writes, other credentials)', () => {
    expect(bundleModules().filter(isSdk)).toHaveLength(1);
    expect(isSdk(bundle)).toBe(false);
  });

  // zod is imported as a namespace (`import * as z`), so the bundler drops what is not used, its
  // other languages' messages (257 KiB) included; `import { z }` kept them all.
  it("carries zod's English messages only, not its other 47 languages", () => {
    const text = bundleModules()
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
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
      // What the cold start and the first answer loaded: Node's modules and the bundle's own files
      // only (a package import would have resolved to the repository's node_modules here), and not
      // the AWS SDK's chunk: the model is read with a signed GET, and a cold start does not parse
      // the SDK (about 85 ms measured with it in the entry file).
      const loaded = (output.modules as string[]).filter((url) => !url.startsWith('node:'));
      for (const url of loaded) expect(url.startsWith(pathToFileURL(dirname(bundle)).href), url).toBe(true);
      expect(loaded.map((url) => fileURLToPath(url)).filter(isSdk)).toEqual([]);
      expect(loaded.length).toBeLessThan(bundleModules().length);
      // Nor undici, Node's fetch (40-90 ms of a cold start): Hono's Request, Response and Headers
      // are the bundle's own (src/lambda-fetch.ts), and no ES import of node:http builds its
      // namespace, whose WebSocket export would load it.
      expect((output.internals as string[]).filter((name) => name.includes('undici'))).toEqual([]);
      // Nor Node's web streams (Node 22 loads two of their helpers at start; not the streams): an
      // event's body is read whole, and the nosniff header is set on the answer's own headers (Hono's
      // c.header would rebuild the answer around its body as a stream).
      expect(output.internals).not.toContain('NativeModule internal/webstreams/readablestream');
    },
  );
});
