import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, modelVersion } from '../src/model/artifact.js';
import { SentimentModel } from '../src/model/sentiment-model.js';
import { publishModel } from '../src/store/publish.js';
import { S3ModelStore } from '../src/store/s3-store.js';
import { TINY_ARTIFACT } from './api/helpers.js';
import { startFaultProxy } from './support/fault-proxy.js';
import { hasRic, LambdaRuntime } from './support/lambda-runtime.js';
import { setEnv, startS3, type TestS3 } from './support/s3-server.js';

const root = new URL('..', import.meta.url).pathname;
const MANIFEST = 's3://models/sentiment/manifest.json';

function event(review: string) {
  return {
    version: '2.0',
    routeKey: 'POST /predict',
    rawPath: '/predict',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', host: 'abc.execute-api.us-east-1.amazonaws.com' },
    requestContext: {
      apiId: 'abc',
      domainName: 'abc.execute-api.us-east-1.amazonaws.com',
      http: {
        method: 'POST',
        path: '/predict',
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent: 'test',
      },
      requestId: `gw-${review.length}`,
      routeKey: 'POST /predict',
      stage: '$default',
      timeEpoch: Date.now(),
    },
    body: JSON.stringify({ review }),
    isBase64Encoded: false,
  };
}

const HEALTH = {
  ...event(''),
  routeKey: 'GET /health',
  rawPath: '/health',
  body: null,
  requestContext: {
    ...event('').requestContext,
    http: { ...event('').requestContext.http, method: 'GET', path: '/health' },
  },
};

interface Answer {
  statusCode: number;
  body: string;
}
const json = (payload: unknown) => JSON.parse((payload as Answer).body);
const logEntries = (runtime: LambdaRuntime) =>
  runtime.logs.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
const metricNames = (runtime: LambdaRuntime) =>
  logEntries(runtime)
    .filter((e) => e._aws)
    .flatMap((e) =>
      (
        e._aws as { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string }> }> }
      ).CloudWatchMetrics.flatMap((m) => m.Metrics.map((x) => x.Name)),
    );

describe.runIf(hasRic)(
  'the bundle under the real runtime interface client, with freezes and timeouts',
  () => {
    let s3: TestS3;
    let restore: () => void;
    let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
    const runtimes: LambdaRuntime[] = [];
    const runtime = (env: Record<string, string> = {}, timeoutMs = 3000) => {
      const r = new LambdaRuntime({
        taskRoot: join(root, 'dist/lambda'),
        handler: 'index.handler',
        timeoutMs,
        env: { ...s3.env, AWS_ENDPOINT_URL_S3: proxy.endpoint, MODEL_URI: MANIFEST, ...env },
      });
      runtimes.push(r);
      return r;
    };

    beforeAll(async () => {
      execFileSync(process.execPath, [join(root, 'scripts/build-lambda.mjs')], { cwd: root, stdio: 'pipe' });
      s3 = await startS3(['models']);
      restore = setEnv(s3.env);
      await publishModel(new S3ModelStore(), TINY_ARTIFACT, 's3://models/sentiment');
      proxy = await startFaultProxy(s3.endpoint);
    }, 120_000);
    afterEach(async () => {
      proxy.always('pass');
      await Promise.all(runtimes.splice(0).map((r) => r.close()));
    });
    afterAll(async () => {
      await proxy.close();
      restore();
      await s3.close();
    });

    it('loads the model during init, before the first event, and answers from it', async () => {
      const r = runtime();
      const init = await r.start();
      expect(init.initError).toBeUndefined();
      const loadedAt = r.logs.findIndex((l) => l.includes('"model loaded"'));
      expect(loadedAt).toBeGreaterThanOrEqual(0);
      expect(r.logs.some((l) => l.includes('"message":"request"'))).toBe(false);
      const first = await r.invoke(event('A wonderful film, I loved it.'));
      const second = await r.invoke(event('Dull and far too long.'));
      expect(first.outcome).toBe('ok');
      expect(json(first.payload)).toMatchObject({
        sentiment: 'positive',
        modelVersion: modelVersion(TINY_ARTIFACT),
      });
      expect(json(second.payload).sentiment).toBe('negative');
      // The load happened once, at init: no request read the model.
      expect(r.logs.filter((l) => l.includes('"model loaded"'))).toHaveLength(1);
      const requests = logEntries(r).filter((e) => e.message === 'request');
      expect(requests.map((e) => e.coldStart)).toEqual([true, false]);
      expect(requests[0].cold_start).toBe(true);
      expect(requests[1].cold_start).toBe(false);
      expect(requests[0].apiRequestId).toBe('gw-29');
      expect(requests[0].function_request_id).toBe(first.requestId);
      console.info(
        `emulator (${process.version}): init ${init.initMs.toFixed(0)} ms, first response ${first.ms.toFixed(1)} ms, second ${second.ms.toFixed(1)} ms`,
      );
    });

    it('runs nothing while frozen, refreshes inside the request after a thaw, and emits no failure metric', async () => {
      const r = runtime({ MODEL_REFRESH_SECONDS: '1' });
      await r.start();
      expect((await r.invoke(event('great film'))).outcome).toBe('ok');
      // Promote a new version while the environment is frozen past the refresh interval.
      const retrained = new SentimentModel(
        { ...decodeModel(TINY_ARTIFACT).parameters, intercept: 0.5 },
        { preset: 'retrained' },
      );
      const next = encodeModel(retrained);
      await publishModel(new S3ModelStore(), next, 's3://models/sentiment');
      r.ranWhileFrozen = false;
      await r.idle(1500);
      expect(r.frozen).toBe(true);
      expect(r.ranWhileFrozen).toBe(false);
      const after = await r.invoke(event('great film'));
      expect(after.outcome).toBe('ok');
      // The refresh was due and happened inside this request: it answers with the new version.
      expect(json(after.payload).modelVersion).toBe(modelVersion(next));
      expect(metricNames(r)).not.toContain('ModelLoadFailures');
      expect(r.logs.join('\n')).not.toMatch(/model load failed|StoreTimeoutError|No application metrics/);
      await publishModel(new S3ModelStore(), TINY_ARTIFACT, 's3://models/sentiment');
    });

    it('answers 503 before the function timeout when S3 never answers, and a later invocation loads the model', async () => {
      proxy.always('hang');
      const r = runtime({}, 3000);
      const init = await r.start();
      // Not an init error: init finishes without a model.
      expect(init.initError).toBeUndefined();
      const down = await r.invoke(event('great film'));
      expect(down.outcome).toBe('ok');
      expect((down.payload as Answer).statusCode).toBe(503);
      expect(json(down.payload).error.code).toBe('model_unavailable');
      expect(down.ms).toBeLessThan(3000);
      const health = await r.invoke(HEALTH);
      expect((health.payload as Answer).statusCode).toBe(503);
      proxy.always('pass');
      const up = await r.invoke(event('great film'));
      expect((up.payload as Answer).statusCode).toBe(200);
      expect(json((await r.invoke(HEALTH)).payload).status).toBe('ok');
    }, 30_000);

    it('reports bad configuration as an init error', async () => {
      const r = runtime({ MAX_BATCH_SIZE: 'many' });
      const init = await r.start();
      expect(init.initError).toMatchObject({ errorType: 'ConfigError' });
      expect(JSON.stringify(init.initError)).toContain('MAX_BATCH_SIZE');
    });

    it('kills an invocation at the function timeout, as Lambda does, and starts a fresh environment', async () => {
      const r = runtime({}, 3000);
      await r.start();
      // The emulator's own timeout, checked with an event the function never answers.
      const stuck = r.invoke(event('great film'));
      r.hang();
      const result = await stuck;
      expect(result.outcome).toBe('timeout');
      expect(result.ms).toBeGreaterThanOrEqual(2900);
      const fresh = await r.invoke(event('great film'));
      expect(fresh.outcome, JSON.stringify(fresh.payload) + r.logs.slice(-5).join('\n')).toBe('ok');
      expect(r.inits).toHaveLength(2);
    }, 20_000);
  },
);
