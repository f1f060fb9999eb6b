import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TINY_ARTIFACT, tinyLoaded } from './api/helpers.js';
import { setEnv } from './support/s3-server.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/events/${name}.json`, import.meta.url), 'utf8'));

const context = {
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  functionName: 'sentiment-predict',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:sentiment-predict',
  memoryLimitInMB: '256',
  logGroupName: '/aws/lambda/sentiment-predict',
  logStreamName: '2026/11/26/[$LATEST]abcdef',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 3000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
} as unknown as Context;

type Handler = (
  event: unknown,
  context: Context,
) => Promise<{ statusCode: number; body: string; headers?: Record<string, string> }>;

describe('Lambda handler (src/lambda.ts)', () => {
  let handler: Handler;
  let restore: () => void;
  const output: string[] = [];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lambda-'));
    writeFileSync(join(dir, 'model.sntm'), TINY_ARTIFACT);
    restore = setEnv({
      MODEL_URI: join(dir, 'model.sntm'),
      POWERTOOLS_DEV: undefined,
      POWERTOOLS_METRICS_DISABLED: 'false',
    });
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    });
    vi.resetModules();
    ({ handler } = (await import('../src/lambda.js')) as unknown as { handler: Handler });
  });
  afterAll(() => {
    vi.restoreAllMocks();
    restore();
  });

  it('answers an API Gateway HTTP API (v2) event', async () => {
    const result = await handler(fixture('http-api-v2'), context);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ sentiment: 'positive' });
  });

  it('answers a REST API (v1) event with a base64 body and a query string', async () => {
    const event = fixture('rest-api-v1');
    const result = await handler(event, context);
    expect(result.statusCode).toBe(200);
    const body = JSON.parse(result.body);
    // The answers are the model's own for the reviews the base64 body holds, in order, explained
    // because of ?explain=true.
    const sent = JSON.parse(Buffer.from(event.body, 'base64').toString('utf8')).reviews as string[];
    const model = tinyLoaded().model;
    expect(body.predictions.map((p: { probabilityPositive: number }) => p.probabilityPositive)).toEqual(
      sent.map((review) => expect.closeTo(model.predict(review).probabilityPositive, 12)),
    );
    expect(body.predictions.map((p: { sentiment: string }) => p.sentiment)).toEqual(
      sent.map((review) => model.predict(review).sentiment),
    );
    expect(
      body.predictions[0].explanation.positive.length + body.predictions[0].explanation.negative.length,
    ).toBeGreaterThan(0);
  });

  it('answers a function URL event', async () => {
    const result = await handler(fixture('function-url'), context);
    expect(JSON.parse(result.body)).toMatchObject({ status: 'ok', modelLoaded: true });
  });

  it('refuses a body whose base64 flag lies with a 400 JSON error, not a 500', async () => {
    const event = { ...fixture('http-api-v2'), body: '{"review": "not base64"}', isBase64Encoded: true };
    const result = await handler(event, context);
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).error.code).toBe('invalid_encoding');
  });

  it('refuses invalid JSON with a 400 JSON error', async () => {
    const result = await handler({ ...fixture('http-api-v2'), body: '{"review":' }, context);
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).error.code).toBe('invalid_json');
  });

  /** The EMF metrics one invocation wrote, summed by name. */
  async function metricsOf(body: unknown): Promise<{
    answer: { predictions: Array<{ confidence: number; abstained: boolean }> };
    metrics: Record<string, number>;
  }> {
    const from = output.length;
    const result = await handler(
      { ...fixture('http-api-v2'), body: JSON.stringify(body), isBase64Encoded: false },
      context,
    );
    const metrics: Record<string, number> = {};
    for (const line of output.slice(from).flatMap((chunk) => chunk.split('\n'))) {
      if (!line.includes('"_aws"')) continue;
      const entry = JSON.parse(line);
      for (const m of entry._aws.CloudWatchMetrics.flatMap(
        (d: { Metrics: Array<{ Name: string }> }) => d.Metrics,
      ))
        metrics[m.Name] =
          (metrics[m.Name] ?? 0) + [entry[m.Name]].flat().reduce((a: number, b: number) => a + b, 0);
    }
    return { answer: JSON.parse(result.body), metrics };
  }

  it('counts abstained predictions in LowCoveragePredictions and unsure ones in LowConfidencePredictions', async () => {
    const reviews = [
      'zzqx vvbn',
      'qqqq',
      'a great and wonderful film',
      'film',
      'awful boring film',
      'great awful',
    ];
    const { answer, metrics } = await metricsOf({ reviews });
    const abstained = answer.predictions.filter((p) => p.abstained).length;
    const unsure = answer.predictions.filter((p) => p.confidence < 0.6).length;
    expect(abstained).toBeGreaterThanOrEqual(2);
    expect(abstained).toBeLessThan(reviews.length);
    expect(unsure).toBeGreaterThan(0);
    expect(unsure).toBeLessThan(reviews.length);
    expect(metrics.LowCoveragePredictions).toBe(abstained);
    expect(metrics.LowConfidencePredictions).toBe(unsure);
    expect(metrics.Predictions).toBe(reviews.length);
  });

  it('logs JSON with the request id and cold-start flag, never the review text', () => {
    const logs = output.flatMap((chunk) => chunk.split('\n')).filter((line) => line.startsWith('{'));
    const requests = logs.map((line) => JSON.parse(line)).filter((entry) => entry.message === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(5);
    expect(requests[0].coldStart).toBe(true);
    expect(requests[1].coldStart).toBe(false);
    expect(requests[0].function_request_id).toBe(context.awsRequestId);
    expect(requests[0].reviewChars).toBe('A wonderful film, I loved it.'.length);
    expect(output.join('')).not.toContain('I loved it');
  });

  it('emits CloudWatch Embedded Metric Format metrics', () => {
    const emf = output
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line));
    const names = new Set(
      emf.flatMap((entry) =>
        entry._aws.CloudWatchMetrics.flatMap((m: { Metrics: Array<{ Name: string }> }) =>
          m.Metrics.map((x) => x.Name),
        ),
      ),
    );
    for (const name of [
      'ColdStart',
      'ModelLoadMs',
      'PredictMs',
      'Predictions',
      'PositivePredictions',
      'InvalidRequests',
      'LowCoveragePredictions',
    ]) {
      expect(names).toContain(name);
    }
    const invalid = emf.find((entry) => entry.InvalidRequests !== undefined);
    expect(invalid.ErrorCode).toBeDefined();
  });
});
