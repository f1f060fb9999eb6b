import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeModel } from '../../src/model/artifact.js';
import { publishModel } from '../../src/store/publish.js';
import { parsePurgeTarget, purgeS3 } from '../../src/store/purge.js';
import { createS3Client } from '../../src/store/s3-sdk.js';
import { S3ModelStore } from '../../src/store/s3-store.js';
import { run } from '../cli/run.js';
import { tinyModel } from '../model/helpers.js';
import { setEnv, startS3, type TestS3 } from '../support/s3-server.js';

describe('sentiment models purge (against an S3-protocol server without versioning)', () => {
  let s3: TestS3;
  let restore: () => void;
  const keys = async () =>
    ((await createS3Client().send(new ListObjectsV2Command({ Bucket: 'teardown' }))).Contents ?? [])
      .map((o) => o.Key)
      .sort();

  beforeAll(async () => {
    s3 = await startS3(['teardown']);
    restore = setEnv(s3.env);
    const store = new S3ModelStore();
    await publishModel(store, encodeModel(tinyModel()), 's3://teardown/sentiment');
    await publishModel(store, encodeModel(tinyModel({ naiveBayesAlpha: 1 })), 's3://teardown/sentiment');
    await store.write('s3://teardown/other/keep.txt', new TextEncoder().encode('not a model'));
  }, 60_000);
  afterAll(async () => {
    restore();
    await s3.close();
  });

  it('reads s3://bucket and s3://bucket/prefix', () => {
    expect(parsePurgeTarget('s3://b')).toEqual({ bucket: 'b', prefix: '' });
    expect(parsePurgeTarget('s3://b/sentiment')).toEqual({ bucket: 'b', prefix: 'sentiment/' });
    expect(parsePurgeTarget('s3://b/sentiment/')).toEqual({ bucket: 'b', prefix: 'sentiment/' });
    expect(() => parsePurgeTarget('b/sentiment')).toThrow(/s3:\/\//);
  });

  it('only lists and counts without --yes', async () => {
    const before = await keys();
    const result = await run('models', 'purge', '--to', 's3://teardown/sentiment');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/would delete \d+ objects \(the server keeps no versions\)/);
    expect(await keys()).toEqual(before);
  });

  it('deletes everything under the prefix with --yes, and nothing outside it', async () => {
    const result = await run('models', 'purge', '--to', 's3://teardown/sentiment', '--yes');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/deleted [1-9]\d* objects/);
    expect(await keys()).toEqual(['other/keep.txt']);
  });

  it('empties a whole bucket given no prefix', async () => {
    const result = await purgeS3('s3://teardown');
    expect(result).toEqual({ deleted: 1, versioned: false });
    expect(await keys()).toEqual([]);
  });

  it('refuses a local folder', async () => {
    const result = await run('models', 'purge', '--to', 'models/');
    expect(result.code).toBe(2);
  });
});
