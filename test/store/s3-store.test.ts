import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/store/load-model.js';
import { ModelNotFoundError } from '../../src/store/model-store.js';
import { createS3Client, parseS3Uri, S3ModelStore } from '../../src/store/s3-store.js';
import { TINY_ARTIFACT } from '../api/helpers.js';
import { setEnv, startS3, type TestS3 } from '../support/s3-server.js';

describe('S3ModelStore against an S3-protocol server', () => {
  let s3: TestS3;
  let restore: () => void;
  beforeAll(async () => {
    s3 = await startS3(['models']);
    restore = setEnv(s3.env);
  });
  afterAll(async () => {
    restore();
    await s3.close();
  });

  it('writes and reads back a model byte for byte, through AWS_ENDPOINT_URL_S3', async () => {
    const store = new S3ModelStore();
    await store.write('s3://models/sentiment/model.sntm', TINY_ARTIFACT);
    const back = await store.read('s3://models/sentiment/model.sntm');
    expect(Buffer.from(back).equals(Buffer.from(TINY_ARTIFACT))).toBe(true);
    const loaded = await loadModel('s3://models/sentiment/model.sntm');
    expect(loaded.model.predict('great').sentiment).toBe('positive');
  });

  it('round-trips a multi-megabyte body intact', async () => {
    const big = new Uint8Array(3_000_000).map((_, i) => (i * 7) % 251);
    const store = new S3ModelStore();
    await store.write('s3://models/big.bin', big);
    expect(Buffer.from(await store.read('s3://models/big.bin')).equals(Buffer.from(big))).toBe(true);
  });

  it('reports a missing object as ModelNotFoundError', async () => {
    await expect(new S3ModelStore().read('s3://models/nothing-here')).rejects.toBeInstanceOf(
      ModelNotFoundError,
    );
  });

  it('uses path-style addressing when an endpoint is set', async () => {
    expect(await createS3Client().config.forcePathStyle).toBe(true);
  });

  it('parses s3:// URIs and refuses others', () => {
    expect(parseS3Uri('s3://bucket/a/b.sntm')).toEqual({ bucket: 'bucket', key: 'a/b.sntm' });
    expect(() => parseS3Uri('s3://bucket')).toThrow(/not an s3/);
  });
});
