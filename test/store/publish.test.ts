import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeModel, modelVersion } from '../../src/model/artifact.js';
import { loadModel } from '../../src/store/load-model.js';
import { readManifest } from '../../src/store/manifest.js';
import type { ModelStore } from '../../src/store/model-store.js';
import { publishModel, rollbackModel } from '../../src/store/publish.js';
import { S3ModelStore } from '../../src/store/s3-store.js';
import { run } from '../cli/run.js';
import { tinyModel } from '../model/helpers.js';
import { setEnv, startS3, type TestS3 } from '../support/s3-server.js';

const first = encodeModel(tinyModel());
const second = encodeModel(
  tinyModel({ logisticRegression: { C: 1, tol: 1e-8, maxIter: 100, fitIntercept: true } }),
);

/** Passes through to S3, but fails writes whose key matches. */
class FailingStore implements ModelStore {
  constructor(
    private readonly inner: ModelStore,
    private readonly failOn: RegExp,
  ) {}
  read(uri: string) {
    return this.inner.read(uri);
  }
  async write(uri: string, bytes: Uint8Array) {
    if (this.failOn.test(uri)) throw new Error('connection reset');
    return this.inner.write(uri, bytes);
  }
}

describe('publishing models to S3 (against an S3-protocol server)', () => {
  let s3: TestS3;
  let restore: () => void;
  const dir = mkdtempSync(join(tmpdir(), 'publish-'));
  const file = (name: string, bytes: Uint8Array) => {
    writeFileSync(join(dir, name), bytes);
    return join(dir, name);
  };
  beforeAll(async () => {
    s3 = await startS3(['artifacts']);
    restore = setEnv(s3.env);
  });
  afterAll(async () => {
    restore();
    await s3.close();
  });

  it('uploads content-addressed, points the manifest at it and prints the MODEL_URI that serves it', async () => {
    const result = await run('publish', '--model', file('a.sntm', first), '--to', 's3://artifacts/sentiment');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('MODEL_URI=s3://artifacts/sentiment/manifest.json');
    const version = modelVersion(first);
    const stored = await new S3ModelStore().read(`s3://artifacts/sentiment/models/${version}.sntm`);
    expect(Buffer.from(stored).equals(Buffer.from(first))).toBe(true);
    const metrics = JSON.parse(
      new TextDecoder().decode(
        await new S3ModelStore().read(`s3://artifacts/sentiment/models/${version}.metrics.json`),
      ),
    );
    expect(metrics.version).toBe(version);
    const loaded = await loadModel('s3://artifacts/sentiment/manifest.json');
    expect(loaded.version).toBe(version);
    expect(loaded.model.predict('great').sentiment).toBe('positive');
  });

  it('is idempotent: publishing the same model again uploads nothing and keeps the manifest', async () => {
    const store = new S3ModelStore();
    const before = await readManifest(store, 's3://artifacts/sentiment/manifest.json');
    const again = await publishModel(store, first, 's3://artifacts/sentiment');
    expect(again.uploaded).toBe(false);
    expect(await readManifest(store, 's3://artifacts/sentiment/manifest.json')).toEqual(before);
  });

  it('never points the manifest at an object that failed to upload', async () => {
    const store = new FailingStore(new S3ModelStore(), /\/models\/[0-9a-f]+\.sntm$/);
    const before = await readManifest(new S3ModelStore(), 's3://artifacts/sentiment/manifest.json');
    await expect(publishModel(store, second, 's3://artifacts/sentiment')).rejects.toThrow(/connection reset/);
    expect(await readManifest(new S3ModelStore(), 's3://artifacts/sentiment/manifest.json')).toEqual(before);
  });

  it('lists, rolls back and promotes without redeploying', async () => {
    await run('publish', '--model', file('b.sntm', second), '--to', 's3://artifacts/sentiment');
    const listed = await run('models', 'list', '--to', 's3://artifacts/sentiment');
    expect(listed.stdout.split('\n')).toHaveLength(2);
    expect(listed.stdout).toMatch(new RegExp(`^\\* ${modelVersion(second).slice(0, 12)}`, 'm'));
    await rollbackModel(new S3ModelStore(), 's3://artifacts/sentiment');
    expect((await loadModel('s3://artifacts/sentiment/manifest.json')).version).toBe(modelVersion(first));
    const promoted = await run(
      'models',
      'promote',
      modelVersion(second).slice(0, 10),
      '--to',
      's3://artifacts/sentiment',
    );
    expect(promoted.code).toBe(0);
    expect((await loadModel('s3://artifacts/sentiment/manifest.json')).version).toBe(modelVersion(second));
    const nothing = await run('models', 'promote', 'ffffffff', '--to', 's3://artifacts/sentiment');
    expect([nothing.code, nothing.stderr]).toEqual([1, expect.stringMatching(/no published version/)]);
  });

  it('refuses to publish a file that is not a model', async () => {
    const result = await run(
      'publish',
      '--model',
      file('junk.sntm', new Uint8Array(64)),
      '--to',
      's3://artifacts/sentiment',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not a serverless-sentiment model/);
  });

  it('publishes to a local folder the same way', async () => {
    const target = join(dir, 'local-store');
    expect((await run('publish', '--model', join(dir, 'a.sntm'), '--to', target)).stdout).toBe(
      `MODEL_URI=${target}/manifest.json`,
    );
    expect((await loadModel(`${target}/manifest.json`)).version).toBe(modelVersion(first));
  });
});
