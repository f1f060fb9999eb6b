import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { readConfig } from '../../src/api/config.js';
import { ModelProvider } from '../../src/api/model-provider.js';
import { Telemetry } from '../../src/api/telemetry.js';
import { encodeModel, modelVersion } from '../../src/model/artifact.js';
import { loadModel } from '../../src/store/load-model.js';
import { promoteModel, publishModel } from '../../src/store/publish.js';
import { s3AccessFromEnv } from '../../src/store/s3-get.js';
import { createS3Client } from '../../src/store/s3-sdk.js';
import { S3ModelStore, StoreTimeoutError } from '../../src/store/s3-store.js';
import { tinyModel } from '../model/helpers.js';
import { startFaultProxy } from '../support/fault-proxy.js';
import { setEnv, startS3, type TestS3 } from '../support/s3-server.js';

const first = encodeModel(tinyModel());
const second = encodeModel(
  tinyModel({ logisticRegression: { C: 1, tol: 1e-8, maxIter: 100, fitIntercept: true } }),
);
const MANIFEST = 's3://models/sentiment/manifest.json';

// Reads go through the AWS SDK (profiles, SSO: the CLI on a laptop) or a signed GET (credentials in
// the environment: Lambda); both must survive the same faults.
describe.each(['the AWS SDK', 'a signed GET'])(
  'S3 faults (injected by a proxy in front of the S3 test server), reading through %s',
  (via) => {
    let s3: TestS3;
    let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
    let restore: () => void;
    /** A store through the proxy, with timeouts short enough for a test. */
    const faultyStore = (deadlineMs = 5000, writeDeadlineMs = 120_000) =>
      new S3ModelStore(
        createS3Client({
          endpoint: proxy.endpoint,
          requestHandler: { connectionTimeout: 500, requestTimeout: 400 },
        }),
        deadlineMs,
        writeDeadlineMs,
        undefined,
        via === 'a signed GET' ? { ...s3AccessFromEnv()!, endpoint: proxy.endpoint } : null,
      );
    const serve = (store: S3ModelStore, refreshMs: number | null = null, now?: () => number) => {
      const models = new ModelProvider(
        (current) => loadModel(MANIFEST, store, current),
        undefined,
        undefined,
        refreshMs,
        now,
      );
      const app = createApp({
        config: readConfig({ MODEL_URI: MANIFEST }),
        models,
        telemetry: new Telemetry({ metrics: false, logLevel: 'SILENT' }),
      });
      const predict = async () => {
        const response = await app.request('/predict', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"review": "great"}',
        });
        return {
          status: response.status,
          body: (await response.json()) as { error?: { code: string }; modelVersion?: string },
        };
      };
      return { models, predict };
    };

    beforeAll(async () => {
      s3 = await startS3(['models']);
      restore = setEnv(s3.env);
      await publishModel(new S3ModelStore(), first, 's3://models/sentiment');
      proxy = await startFaultProxy(s3.endpoint);
    });
    afterAll(async () => {
      restore();
      await proxy.close();
      await s3.close();
    });

    it('retries throttling (503 SlowDown), 500s and connection resets with backoff, then loads', async () => {
      proxy.always('pass');
      proxy.resetCount();
      proxy.inject('slowdown', 'error500', 'reset');
      const { predict } = serve(faultyStore());
      const result = await predict();
      expect(result.status).toBe(200);
      expect(proxy.requests).toBe(5); // 3 failures + manifest + artifact
    });

    it('gives up after its attempts or its deadline with a 503 model_unavailable, then recovers on a later request', async () => {
      proxy.always('slowdown');
      proxy.resetCount();
      const { predict } = serve(faultyStore(4000));
      const started = performance.now();
      const failed = await predict();
      expect(failed.status).toBe(503);
      expect(failed.body.error?.code).toBe('model_unavailable');
      // Retried with growing waits (throttling backs off longer), stopped by 5 attempts or the deadline.
      expect(proxy.requests).toBeGreaterThanOrEqual(3);
      expect(proxy.requests).toBeLessThanOrEqual(5);
      expect(performance.now() - started).toBeLessThan(4500);
      proxy.always('pass');
      expect((await predict()).status).toBe(200);
    });

    it('times out a server that never answers, within the deadline', async () => {
      proxy.always('hang');
      const started = performance.now();
      const { predict } = serve(faultyStore(3000));
      expect((await predict()).status).toBe(503);
      expect(performance.now() - started).toBeLessThan(6000);
      proxy.always('pass');
      expect((await predict()).status).toBe(200);
    });

    it('gives up a write (an upload) at its deadline against a server that never answers', async () => {
      proxy.always('hang');
      const store = faultyStore(5000, 800);
      const started = performance.now();
      await expect(store.write('s3://models/sentiment/x.sntm', new Uint8Array(10))).rejects.toBeInstanceOf(
        StoreTimeoutError,
      );
      expect(performance.now() - started).toBeLessThan(3000);
      proxy.always('pass');
    });

    it("gives up a read when the caller's signal ends first (the invocation's remaining time)", async () => {
      proxy.always('hang');
      const started = performance.now();
      await expect(
        faultyStore(30_000).read(MANIFEST, { signal: AbortSignal.timeout(500) }),
      ).rejects.toBeInstanceOf(StoreTimeoutError);
      expect(performance.now() - started).toBeLessThan(2000);
      proxy.always('pass');
    });

    it('abandons a body that trickles in past the deadline', async () => {
      proxy.always('slow-body');
      await expect(faultyStore(1000).read(MANIFEST)).rejects.toBeInstanceOf(StoreTimeoutError);
      proxy.always('pass');
    });

    it('keeps serving the last good model when a refresh fails, and picks up a promotion when it works', async () => {
      proxy.always('pass');
      let clock = 0;
      const { models, predict } = serve(faultyStore(), 1000, () => clock);
      expect((await predict()).body.modelVersion).toBe(modelVersion(first));
      await publishModel(new S3ModelStore(), second, 's3://models/sentiment');
      proxy.always('error500');
      clock += 2000;
      await models.refresh();
      expect(models.status().lastError).toMatch(/InternalError|500/);
      const during = await predict();
      expect([during.status, during.body.modelVersion]).toEqual([200, modelVersion(first)]);
      proxy.always('pass');
      await models.refresh();
      expect((await predict()).body.modelVersion).toBe(modelVersion(second));
      await promoteModel(new S3ModelStore(), 's3://models/sentiment', modelVersion(first));
    });
  },
);
