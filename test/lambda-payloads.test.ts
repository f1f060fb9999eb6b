import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TINY_ARTIFACT } from './api/helpers.js';
import { setEnv } from './support/s3-server.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/events/${name}.json`, import.meta.url), 'utf8'));

const context = {
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  functionName: 'sentiment-predict',
  getRemainingTimeInMillis: () => 3000,
} as unknown as Context;

interface Result {
  statusCode: number;
  body: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
}
type Handler = (event: unknown, context: Context) => Promise<Result>;

interface Request {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | null;
}

/** The same request as each event source sends it. */
const PAYLOADS: Record<string, (r: Request) => unknown> = {
  'REST API v1 with multiValueHeaders': (r) => ({
    ...fixture('rest-api-v1'),
    httpMethod: r.method,
    path: r.path,
    resource: r.path,
    headers: r.headers,
    multiValueHeaders: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    body: r.body,
    isBase64Encoded: false,
  }),
  'REST API v1 without multiValueHeaders': (r) => {
    const {
      multiValueHeaders: _drop,
      multiValueQueryStringParameters: _drop2,
      ...event
    } = fixture('rest-api-v1');
    return {
      ...event,
      httpMethod: r.method,
      path: r.path,
      headers: r.headers,
      queryStringParameters: null,
      body: r.body,
      isBase64Encoded: false,
    };
  },
  'HTTP API v2': (r) => ({
    ...fixture('http-api-v2'),
    routeKey: '$default',
    rawPath: r.path,
    headers: r.headers,
    requestContext: {
      ...fixture('http-api-v2').requestContext,
      http: { ...fixture('http-api-v2').requestContext.http, method: r.method, path: r.path },
    },
    body: r.body,
  }),
  'function URL': (r) => ({
    ...fixture('function-url'),
    rawPath: r.path,
    headers: r.headers,
    requestContext: {
      ...fixture('function-url').requestContext,
      http: { ...fixture('function-url').requestContext.http, method: r.method, path: r.path },
    },
    body: r.body,
    isBase64Encoded: false,
  }),
  'ALB target': (r) => ({
    ...fixture('alb'),
    httpMethod: r.method,
    path: r.path,
    headers: r.headers,
    body: r.body,
  }),
  'ALB target with multi-value headers': (r) => {
    const { headers: _drop, queryStringParameters: _q, ...event } = fixture('alb');
    return {
      ...event,
      httpMethod: r.method,
      path: r.path,
      multiValueHeaders: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, [v]])),
      multiValueQueryStringParameters: {},
      body: r.body,
    };
  },
};

const json = { 'content-type': 'application/json' };
const CASES: Array<[string, Request, number, string | null]> = [
  [
    'a prediction',
    { method: 'POST', path: '/predict', headers: json, body: '{"review":"a great film"}' },
    200,
    null,
  ],
  ['an unknown route', { method: 'GET', path: '/nope', headers: {}, body: null }, 404, 'not_found'],
  ['a wrong method', { method: 'GET', path: '/predict', headers: {}, body: null }, 405, 'method_not_allowed'],
  [
    'a non-JSON type',
    { method: 'POST', path: '/predict', headers: { 'content-type': 'text/plain' }, body: 'hi' },
    415,
    'unsupported_media_type',
  ],
  [
    'invalid JSON',
    { method: 'POST', path: '/predict', headers: json, body: '{"review":' },
    400,
    'invalid_json',
  ],
  [
    'an empty review',
    { method: 'POST', path: '/predict', headers: json, body: '{"review":"  "}' },
    400,
    'empty_review',
  ],
  [
    'a review over the limit',
    { method: 'POST', path: '/predict', headers: json, body: JSON.stringify({ review: 'a'.repeat(600) }) },
    413,
    'review_too_long',
  ],
];

function header(result: Result, name: string): string | undefined {
  return result.headers?.[name] ?? result.multiValueHeaders?.[name]?.[0];
}

function contentType(result: Result): string | undefined {
  return header(result, 'content-type');
}

const root = new URL('..', import.meta.url).pathname;

/**
 * The handler as the tests' TypeScript runs it, and as the built bundle does: there, Hono's Request,
 * Response and Headers are the bundle's own (src/lambda-fetch.ts), not Node's. Each call gives a
 * fresh instance that reads the environment anew.
 */
const HANDLERS: Array<[string, () => Promise<() => Promise<Handler>>]> = [
  [
    'src/lambda.ts',
    async () => async () => {
      vi.resetModules();
      return ((await import('../src/lambda.js')) as unknown as { handler: Handler }).handler;
    },
  ],
  [
    'the built bundle',
    async () => {
      // Built apart from dist/lambda, which another test file rebuilds; copied once per instance
      // (an ES module is evaluated once per URL, its chunks included).
      const built = mkdtempSync(join(tmpdir(), 'payloads-bundle-'));
      execFileSync(process.execPath, [join(root, 'scripts/build-lambda.mjs'), 'src/lambda.ts', built], {
        cwd: root,
        stdio: 'pipe',
      });
      return async () => {
        const copy = mkdtempSync(join(tmpdir(), 'payloads-bundle-'));
        cpSync(built, copy, { recursive: true });
        return ((await import(pathToFileURL(join(copy, 'index.mjs')).href)) as { handler: Handler }).handler;
      };
    },
  ],
];

describe.each(HANDLERS)("every payload gets the app's real status and JSON error (%s)", (_name, prepare) => {
  let handler: Handler;
  let unavailable: Handler;
  let restore: () => void;
  beforeAll(async () => {
    const load = await prepare();
    const dir = mkdtempSync(join(tmpdir(), 'payloads-'));
    writeFileSync(join(dir, 'model.sntm'), TINY_ARTIFACT);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    restore = setEnv({
      MODEL_URI: join(dir, 'model.sntm'),
      MAX_REVIEW_CHARS: '500',
      POWERTOOLS_DEV: undefined,
    });
    handler = await load();
    process.env.MODEL_URI = join(dir, 'missing.sntm');
    unavailable = await load();
  }, 120_000);
  afterAll(() => {
    vi.restoreAllMocks();
    restore();
  });

  for (const [payload, build] of Object.entries(PAYLOADS)) {
    describe(payload, () => {
      it.each(CASES)('answers %s', async (_name, request, status, code) => {
        const result = await handler(build(request), context);
        expect(result.statusCode).toBe(status);
        expect(contentType(result)).toMatch(/application\/json/);
        const body = JSON.parse(result.body);
        if (code === null) expect(body.sentiment).toBe('positive');
        else expect(body.error.code).toBe(code);
      });

      it("carries the app's headers: Allow on a 405, nosniff on every answer", async () => {
        const result = await handler(
          build({ method: 'GET', path: '/predict', headers: {}, body: null }),
          context,
        );
        expect(result.statusCode).toBe(405);
        expect(header(result, 'allow')).toBe('POST');
        expect(header(result, 'x-content-type-options')).toBe('nosniff');
      });

      it('answers HEAD /health with the status and type of GET and no body', async () => {
        const result = await handler(
          build({ method: 'HEAD', path: '/health', headers: {}, body: null }),
          context,
        );
        expect(result.statusCode).toBe(200);
        expect(contentType(result)).toMatch(/application\/json/);
        expect(result.body).toBe('');
      });

      it('answers 503 model_unavailable when the model cannot be loaded', async () => {
        const request = { method: 'POST', path: '/predict', headers: json, body: '{"review":"great"}' };
        const result = await unavailable(build(request), context);
        expect(result.statusCode).toBe(503);
        expect(JSON.parse(result.body).error.code).toBe('model_unavailable');
      });
    });
  }

  it.each([
    ['null', null],
    ['a string', 'hello'],
    ['a number', 42],
    ['an empty object', {}],
    ['an array', [1, 2]],
    ['an S3 event', { Records: [{ eventSource: 'aws:s3' }] }],
  ])('answers a direct invoke with %s with a 400 JSON error, not a TypeError', async (_name, event) => {
    const result = await handler(event, context);
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).error.code).toBe('invalid_request');
  });
});
