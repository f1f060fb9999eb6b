import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishModel } from '../src/store/publish.js';
import { S3ModelStore } from '../src/store/s3-store.js';
import { setEnv, startS3 } from '../test/support/s3-server.js';

const root = new URL('..', import.meta.url).pathname;

/**
 * Where the Lambda benches' functions read their model: published to an S3-protocol server (read
 * through its manifest) and as a file; with the API Gateway HTTP API event they send. `close` stops
 * the server and restores the environment.
 */
export async function lambdaModelSources(bytes: Uint8Array) {
  const s3 = await startS3(['models']);
  const restore = setEnv(s3.env);
  await publishModel(new S3ModelStore(), bytes, 's3://models/sentiment');
  const modelPath = join(mkdtempSync(join(tmpdir(), 'lambda-model-')), 'model.sntm');
  writeFileSync(modelPath, bytes);
  return {
    sources: [
      { name: 'S3 test server', env: { ...s3.env, MODEL_URI: 's3://models/sentiment/manifest.json' } },
      { name: 'file', env: { MODEL_URI: modelPath } },
    ],
    event: JSON.parse(readFileSync(join(root, 'test/fixtures/events/http-api-v2.json'), 'utf8')),
    close: async () => {
      restore();
      await s3.close();
    },
  };
}
