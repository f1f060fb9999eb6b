import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/store/load-model.js';
import { ModelNotFoundError } from '../../src/store/model-store.js';
import { objectUrl, s3AccessFromEnv } from '../../src/store/s3-get.js';
import { createS3Client } from '../../src/store/s3-sdk.js';
import { parseS3Uri, S3ModelStore } from '../../src/store/s3-store.js';
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

describe('reading by signed GET (credentials in the environment, as on Lambda)', () => {
  let s3: TestS3;
  beforeAll(async () => {
    s3 = await startS3(['models']);
    const client = createS3Client({
      endpoint: s3.endpoint,
      forcePathStyle: true,
      region: s3.env.AWS_REGION,
      credentials: { accessKeyId: s3.env.AWS_ACCESS_KEY_ID, secretAccessKey: s3.env.AWS_SECRET_ACCESS_KEY },
    });
    await new S3ModelStore(client).write('s3://models/m.sntm', TINY_ARTIFACT);
  });
  afterAll(async () => {
    await s3.close();
  });
  const access = (env: Record<string, string> = {}) => s3AccessFromEnv({ ...s3.env, ...env })!;

  it('reads what the SDK wrote, byte for byte, and names a missing object', async () => {
    const store = new S3ModelStore(undefined, 5000, 120_000, 1 << 20, access());
    expect(Buffer.from(await store.read('s3://models/m.sntm')).equals(Buffer.from(TINY_ARTIFACT))).toBe(true);
    await expect(store.read('s3://models/absent.sntm')).rejects.toBeInstanceOf(ModelNotFoundError);
  });

  it("refuses an object over the size limit, and reports S3's refusal by its code", async () => {
    await expect(
      new S3ModelStore(undefined, 5000, 120_000, 100, access()).read('s3://models/m.sntm'),
    ).rejects.toMatchObject({ code: 'model_too_large' });
    const denied = new S3ModelStore(
      undefined,
      5000,
      120_000,
      1 << 20,
      access({ AWS_ACCESS_KEY_ID: 'UNKNOWN' }),
    );
    await expect(denied.read('s3://models/m.sntm')).rejects.toMatchObject({
      name: 'S3RequestError',
      status: 403,
      s3Code: 'InvalidAccessKeyId',
    });
  });

  it('takes credentials, session token and region from the environment, else leaves reading to the SDK', () => {
    const env = { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'eu-west-3' };
    expect(s3AccessFromEnv({ ...env, AWS_SESSION_TOKEN: 'token' })).toEqual({
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'token' },
      region: 'eu-west-3',
    });
    expect(s3AccessFromEnv({ ...env, AWS_REGION: '', AWS_DEFAULT_REGION: 'us-west-2' })?.region).toBe(
      'us-west-2',
    );
    expect(s3AccessFromEnv({ ...env, AWS_ACCESS_KEY_ID: '' })).toBeNull();
    expect(s3AccessFromEnv({ AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret' })).toBeNull();
    expect(s3AccessFromEnv({ ...env, AWS_USE_FIPS_ENDPOINT: 'true' })).toBeNull();
  });

  it('addresses S3 as the SDK does: virtual-hosted, path-style for dotted buckets and custom endpoints', () => {
    const base = { credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, region: 'eu-west-3' };
    expect(objectUrl(base, 'my-models', 'sentiment/a b.sntm').href).toBe(
      'https://my-models.s3.eu-west-3.amazonaws.com/sentiment/a%20b.sntm',
    );
    expect(objectUrl(base, 'my.models', 'k').href).toBe('https://s3.eu-west-3.amazonaws.com/my.models/k');
    expect(objectUrl({ ...base, region: 'cn-north-1' }, 'm12', 'k').href).toBe(
      'https://m12.s3.cn-north-1.amazonaws.com.cn/k',
    );
    expect(objectUrl({ ...base, endpoint: 'http://127.0.0.1:4568/' }, 'models', 'k').href).toBe(
      'http://127.0.0.1:4568/models/k',
    );
  });
});
