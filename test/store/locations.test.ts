import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/api/config.js';
import { createService } from '../../src/api/service.js';
import { Telemetry } from '../../src/api/telemetry.js';
import type { SentimentError } from '../../src/errors.js';
import { encodeModel, modelVersion } from '../../src/model/artifact.js';
import { FileModelStore } from '../../src/store/file-store.js';
import { loadModel } from '../../src/store/load-model.js';
import { ManifestError } from '../../src/store/manifest.js';
import { DEFAULT_MAX_MODEL_BYTES, maxModelBytes } from '../../src/store/model-store.js';
import { S3ModelStore } from '../../src/store/s3-store.js';
import { tinyModel } from '../model/helpers.js';
import { setEnv, startS3, type TestS3 } from '../support/s3-server.js';

const artifact = encodeModel(tinyModel());
const version = modelVersion(artifact);
const manifestWith = (key: string) =>
  JSON.stringify({
    kind: 'serverless-sentiment/manifest',
    current: version,
    updatedAt: '2026-11-26T00:00:00.000Z',
    history: [{ version, key, publishedAt: '2026-11-26T00:00:00.000Z', bytes: artifact.length }],
  });
const HOSTILE_KEYS = [
  '../../m/model.sntm',
  '../other/model.sntm',
  '/etc/model.sntm',
  's3://other/model.sntm',
  'models/./x.sntm',
  'models\\..\\x.sntm',
];

describe('model locations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'locations-'));

  it.each(HOSTILE_KEYS)('refuses a manifest key that leaves its folder (file store): %s', async (key) => {
    mkdirSync(join(dir, 'prefix'), { recursive: true });
    mkdirSync(join(dir, 'm'), { recursive: true });
    writeFileSync(join(dir, 'm', 'model.sntm'), artifact);
    writeFileSync(join(dir, 'prefix', 'manifest.json'), manifestWith(key));
    await expect(loadModel(join(dir, 'prefix', 'manifest.json'))).rejects.toBeInstanceOf(ManifestError);
  });

  it('still loads a manifest whose key is inside its folder', async () => {
    mkdirSync(join(dir, 'ok', 'models'), { recursive: true });
    writeFileSync(join(dir, 'ok', 'models', 'a.sntm'), artifact);
    writeFileSync(join(dir, 'ok', 'manifest.json'), manifestWith('models/a.sntm'));
    expect((await loadModel(join(dir, 'ok', 'manifest.json'))).version).toBe(version);
  });

  // The manifest's schema loads while the manifest is read: a missing one is still "not found", and
  // an unreadable one still the store's own error.
  it('names a missing manifest as not found, and passes a failed read on as it was', async () => {
    const missing = join(dir, 'none', 'manifest.json');
    await expect(loadModel(missing)).rejects.toMatchObject({
      code: 'model_not_found',
      message: `no manifest at ${missing}`,
    });
    mkdirSync(join(dir, 'fifo'), { recursive: true });
    execFileSync('mkfifo', [join(dir, 'fifo', 'manifest.json')]);
    await expect(loadModel(join(dir, 'fifo', 'manifest.json'))).rejects.toMatchObject({
      code: 'model_not_a_file',
    });
  });

  it('refuses a FIFO and a device instead of blocking or reading forever', async () => {
    const fifo = join(dir, 'model.fifo');
    execFileSync('mkfifo', [fifo]);
    const refusal = (uri: string) =>
      new FileModelStore().read(uri).catch((error: SentimentError) => error.code);
    expect(await refusal(fifo)).toBe('model_not_a_file');
    expect(await refusal('/dev/zero')).toBe('model_not_a_file');
  });

  it('refuses a file over the size limit (MAX_MODEL_BYTES)', async () => {
    const big = join(dir, 'big.sntm');
    writeFileSync(big, new Uint8Array(2048));
    await expect(new FileModelStore(1024).read(big)).rejects.toMatchObject({ code: 'model_too_large' });
    expect((await new FileModelStore(4096).read(big)).length).toBe(2048);
  });

  it('takes MAX_MODEL_BYTES from the validated settings: the service and the CLI honour it, a bad value is named', async () => {
    const file = join(dir, 'sized.sntm');
    writeFileSync(file, artifact);
    const telemetry = new Telemetry({ metrics: false, logLevel: 'SILENT' });
    const small = createService(
      readConfig({ MODEL_URI: file, MAX_MODEL_BYTES: String(artifact.length - 1) }),
      telemetry,
    );
    await expect(small.models.get()).rejects.toMatchObject({ code: 'model_too_large' });
    const enough = createService(
      readConfig({ MODEL_URI: file, MAX_MODEL_BYTES: String(artifact.length) }),
      telemetry,
    );
    expect((await enough.models.get()).version).toBe(version);
    expect(() => readConfig({ MAX_MODEL_BYTES: 'lots' })).toThrow(/MAX_MODEL_BYTES/);
    expect(() => maxModelBytes({ MAX_MODEL_BYTES: '-5' })).toThrow(
      /MAX_MODEL_BYTES: "-5" is not a positive whole number/,
    );
    expect(maxModelBytes({})).toBe(DEFAULT_MAX_MODEL_BYTES);
    const restore = setEnv({ MAX_MODEL_BYTES: '100' });
    try {
      await expect(loadModel(file)).rejects.toMatchObject({ code: 'model_too_large' });
    } finally {
      restore();
    }
  });

  describe('on S3 (against an S3-protocol server)', () => {
    let s3: TestS3;
    let restore: () => void;
    beforeAll(async () => {
      s3 = await startS3(['models']);
      restore = setEnv(s3.env);
      const store = new S3ModelStore();
      await store.write('s3://models/other/model.sntm', artifact);
      await store.write('s3://models/prefix/models/a.sntm', artifact);
    });
    afterAll(async () => {
      restore();
      await s3.close();
    });

    it.each(HOSTILE_KEYS)('refuses a manifest key that leaves its prefix: %s', async (key) => {
      const store = new S3ModelStore();
      await store.write('s3://models/prefix/manifest.json', new TextEncoder().encode(manifestWith(key)));
      await expect(loadModel('s3://models/prefix/manifest.json', store)).rejects.toBeInstanceOf(
        ManifestError,
      );
    });

    it('refuses an object over the size limit', async () => {
      const store = new S3ModelStore(undefined, 5000, 120_000, 1024);
      await expect(store.read('s3://models/other/model.sntm')).rejects.toMatchObject({
        code: 'model_too_large',
      });
    });
  });
});
