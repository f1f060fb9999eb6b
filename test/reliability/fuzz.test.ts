import type { Context } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../../src/api/errors.js';
import { testService } from '../api/helpers.js';
import { fuzzRequests } from '../support/fuzz.js';

/** 10,000 per target in CI (about 5 s); `npm run fuzz` sends 100,000 (FUZZ_REQUESTS, FUZZ_SEED). */
const COUNT = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261126);
const CODES = new Set(Object.keys(ERROR_STATUS));
const limits = { maxBodyBytes: 64 * 1024, maxReviewChars: 5000, maxBatchSize: 20 };
const env = {
  MAX_BODY_BYTES: String(limits.maxBodyBytes),
  MAX_REVIEW_CHARS: String(limits.maxReviewChars),
  MAX_BATCH_SIZE: String(limits.maxBatchSize),
};

function checkResponse(
  status: number,
  contentType: string | null,
  text: string,
  method: string,
  tally: Map<string, number>,
) {
  expect(status).toBeLessThan(500);
  if (method === 'HEAD') return;
  expect(contentType ?? '').toMatch(
    status === 200 && text.startsWith('<!doctype') ? /text\/html/ : /application\/json/,
  );
  const parsed = status >= 400 ? (JSON.parse(text) as Record<string, unknown>) : null;
  if (parsed && Array.isArray(parsed.errors)) {
    // A batch none of whose items could be answered: every item is in errors, with a known code.
    const errors = parsed.errors as Array<{ index: number; code: string; message: string }>;
    expect(status).toBe(400);
    expect((parsed.predictions as unknown[]).every((p) => p === null)).toBe(true);
    for (const e of errors) {
      expect(CODES.has(e.code)).toBe(true);
      expect(typeof e.message).toBe('string');
    }
    tally.set('400 batch, every item refused', (tally.get('400 batch, every item refused') ?? 0) + 1);
  } else if (status >= 400) {
    const body = parsed as { error: { code: string; message: string } };
    expect(CODES.has(body.error.code)).toBe(true);
    expect(typeof body.error.message).toBe('string');
    expect(text).not.toMatch(/\bat \w+ \(|node_modules|\.ts:\d+/);
    tally.set(`${status} ${body.error.code}`, (tally.get(`${status} ${body.error.code}`) ?? 0) + 1);
  } else {
    tally.set(`${status}`, (tally.get(`${status}`) ?? 0) + 1);
  }
}

describe(`fuzzing with ${COUNT} seeded malformed requests per target (seed ${SEED})`, () => {
  it('the HTTP app answers every one with a JSON error or a prediction, never a 5xx', async () => {
    const { app } = testService(env);
    const tally = new Map<string, number>();
    for (const request of fuzzRequests(COUNT, SEED, limits)) {
      const response = await app.request(request.path, {
        method: request.method,
        headers: request.headers,
        body: request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body,
      });
      checkResponse(
        response.status,
        response.headers.get('content-type'),
        await response.text(),
        request.method,
        tally,
      );
    }
    console.info(
      `HTTP app: ${COUNT} requests, 0 5xx; ${JSON.stringify(Object.fromEntries([...tally].sort()))}`,
    );
  }, 300_000);

  it('the Lambda adapter does the same for API Gateway v2 events, base64 flags that lie included', async () => {
    const { app } = testService(env);
    const { handler } = await import('../../src/lambda-handler.js');
    const wrapped = handler(handle(app), {
      flush: () => {},
      invalidRequest: () => {},
      request: () => {},
      takeColdStart: () => false,
      logger: { addContext: () => {}, appendKeys: () => {}, removeKeys: () => {} },
    });
    const tally = new Map<string, number>();
    for (const request of fuzzRequests(COUNT, SEED + 1, limits)) {
      const text = request.body ? Buffer.from(request.body) : null;
      const lying = request.base64 === true;
      const event = {
        version: '2.0',
        routeKey: '$default',
        rawPath: request.path.split('?')[0],
        rawQueryString: request.path.split('?')[1] ?? '',
        headers: { host: 'x.execute-api.us-east-1.amazonaws.com', ...request.headers },
        requestContext: {
          domainName: 'x.execute-api.us-east-1.amazonaws.com',
          http: { method: request.method, path: request.path, sourceIp: '203.0.113.7' },
          requestId: 'fuzz',
          stage: '$default',
        },
        ...(text === null
          ? {}
          : { body: lying ? text.toString('latin1') : text.toString('base64'), isBase64Encoded: true }),
      };
      const result = (await wrapped(event as never, {} as Context)) as {
        statusCode: number;
        headers?: Record<string, string>;
        body: string;
      };
      checkResponse(
        result.statusCode,
        result.headers?.['content-type'] ?? null,
        result.body,
        request.method,
        tally,
      );
    }
    console.info(
      `Lambda adapter: ${COUNT} events, 0 5xx; ${JSON.stringify(Object.fromEntries([...tally].sort()))}`,
    );
  }, 300_000);
});
