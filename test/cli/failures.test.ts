import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_ARTIFACT } from '../api/helpers.js';

const root = new URL('../..', import.meta.url).pathname;
const bin = join(root, 'dist/cli/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'cli-failures-'));
const home = join(dir, 'home');
mkdirSync(home);

/** Runs the built `sentiment` binary with a clean environment (no AWS settings, an empty HOME). */
function sentiment(args: string[], env: Record<string, string> = {}, timeout = 30_000) {
  return new Promise<{ code: number; stderr: string; stdout: string }>((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      {
        cwd: dir,
        timeout,
        env: { PATH: process.env.PATH ?? '', HOME: home, AWS_EC2_METADATA_DISABLED: 'true', ...env },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

describe('CLI failures: one or two lines with the fix, no stack trace (the built binary)', () => {
  let busy: Server;
  let port: number;
  const model = join(dir, 'model.sntm');
  beforeAll(async () => {
    execFileSync(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: root,
      },
    );
    writeFileSync(model, TINY_ARTIFACT);
    mkdirSync(join(dir, 'models', 'default'), { recursive: true });
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    port = (busy.address() as AddressInfo).port;
  }, 120_000);
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  it('serve on a port in use', async () => {
    const result = await sentiment(['serve', '--model', model, '--port', String(port)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`sentiment serve: port ${port} on 127.0.0.1 is already in use`);
    expect(result.stderr).toContain('hint: stop the other server, or choose another port with --port');
    noStack(result.stderr);
  });

  it('serve with a model that does not exist stops at once instead of answering 503s', async () => {
    const result = await sentiment(['serve', '--model', join(dir, 'missing.sntm'), '--port', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/sentiment serve: no model at .*missing\.sntm/);
    expect(result.stderr).toContain('hint: train one');
    noStack(result.stderr);
  });

  it('predict --model <folder>', async () => {
    const result = await sentiment(['predict', '--model', 'models/default', 'great']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('sentiment predict: models/default is a folder, not a model file');
    expect(result.stderr).toContain('hint: give the model file inside it, such as models/default/model.sntm');
    noStack(result.stderr);
  });

  it('predict from S3 without a region', async () => {
    const result = await sentiment(['predict', '--model', 's3://bucket/sentiment/manifest.json', 'great']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('sentiment predict: no AWS region set for S3');
    expect(result.stderr).toContain('hint: set AWS_REGION');
    noStack(result.stderr);
  });

  it('predict from S3 without credentials', async () => {
    const result = await sentiment(['predict', '--model', 's3://bucket/sentiment/manifest.json', 'great'], {
      AWS_REGION: 'us-east-1',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('sentiment predict: no AWS credentials found for S3');
    expect(result.stderr).toContain('aws configure');
    noStack(result.stderr);
  });

  it('a pickle or joblib file given as a model', async () => {
    const pickle = join(dir, 'pipeline.joblib');
    writeFileSync(
      pickle,
      Buffer.from([
        0x80, 0x04, 0x95, 0x10, 0, 0, 0, 0, 0, 0, 0, 0x8c, 0x08, 0x73, 0x6b, 0x6c, 0x65, 0x61, 0x72, 0x6e,
      ]),
    );
    const result = await sentiment(['predict', '--model', pickle, 'great']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not a serverless-sentiment model file');
    expect(result.stderr).toContain('tools/export-sklearn.py');
    noStack(result.stderr);
  });

  it('prints the stack trace only when asked (DEBUG=1 or --verbose)', async () => {
    const debug = await sentiment(['predict', '--model', 'models/default', 'great'], { DEBUG: '1' });
    expect(debug.stderr).toMatch(/\n\s+at /);
    const verbose = await sentiment(['predict', '--verbose', '--model', 'models/default', 'great']);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });

  it('serve --train-full without the full data says how to get it', async () => {
    const result = await sentiment([
      'serve',
      '--model',
      join(dir, 'full', 'model.sntm'),
      '--train-full',
      '--port',
      '0',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('sentiment serve: no full IMDb data here to train on');
    expect(result.stderr).toContain('hint: run "npx sentiment data download" first');
  });

  it('predict and evaluate without --model use MODEL_URI, else models/default/model.sntm', async () => {
    const missing = await sentiment(['predict', 'great']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('sentiment predict: no model at models/default/model.sntm');
    expect(missing.stderr).toContain('hint: train one');
    const fromEnv = await sentiment(['predict', 'a great film'], { MODEL_URI: model });
    expect(fromEnv.code).toBe(0);
    expect(JSON.parse(fromEnv.stdout).sentiment).toBe('positive');
  });

  it('a usage mistake shows the command help and exits 2', async () => {
    const result = await sentiment(['train']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('sentiment train: --data <path> is required');
    expect(result.stderr).toContain('Trains a model');
  });
});
