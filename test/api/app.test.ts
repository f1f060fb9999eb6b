import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/api/config.js';
import { createService } from '../../src/api/service.js';
import { Telemetry } from '../../src/api/telemetry.js';
import { MemoryStore, post, testService } from './helpers.js';

async function call(app: ReturnType<typeof testService>['app'], request: RequestInit & { path: string }) {
  const { path, ...init } = request;
  const response = await app.request(path, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

describe('POST /predict', () => {
  const { app } = testService();

  it('answers the original contract: {"review"} -> {"sentiment", "confidence"}', async () => {
    const response = await call(app, post({ review: 'a great and wonderful film' }));
    expect(response.status).toBe(200);
    const body = response.json();
    expect(body.sentiment).toBe('positive');
    expect(body.confidence).toBeGreaterThan(0.5);
    expect(body.confidence).toBeLessThanOrEqual(1);
    expect(body.probabilityPositive).toBeCloseTo(body.confidence, 12);
    expect(body.modelVersion).toMatch(/^[0-9a-f]{64}$/);
    expect(body.explanation).toBeUndefined();
  });

  it('answers a batch item by item: a bad item is an error of its own, the others are answered', async () => {
    const small = testService({ MAX_REVIEW_CHARS: '50' }).app;
    const response = await call(
      small,
      post({ reviews: ['great film', '', 3, 'x'.repeat(51), 'awful film'] }),
    );
    expect(response.status).toBe(200);
    const body = response.json();
    expect(body.predictions.map((p: { sentiment: string } | null) => p?.sentiment ?? null)).toEqual([
      'positive',
      null,
      null,
      null,
      'negative',
    ]);
    expect(body.errors).toEqual([
      { index: 1, code: 'empty_review', message: '"reviews"[1] is empty' },
      { index: 2, code: 'invalid_review', message: '"reviews"[2] must be a string' },
      { index: 3, code: 'review_too_long', message: '"reviews"[3] is over 50 characters' },
    ]);
    expect(body.modelVersion).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers 400 with the same body when no batch item could be answered', async () => {
    const response = await call(app, post({ reviews: ['', '  ', null] }));
    expect(response.status).toBe(400);
    const body = response.json();
    expect(body.predictions).toEqual([null, null, null]);
    expect(body.errors.map((e: { code: string }) => e.code)).toEqual([
      'empty_review',
      'empty_review',
      'invalid_review',
    ]);
  });

  it('answers a batch in input order', async () => {
    const reviews = ['awful, boring', 'great, loved it', 'terrible film', 'wonderful'];
    const body = (await call(app, post({ reviews }))).json();
    expect(body.predictions.map((p: { sentiment: string }) => p.sentiment)).toEqual([
      'negative',
      'positive',
      'negative',
      'positive',
    ]);
  });

  it('explains when asked in the body or the query', async () => {
    const inBody = (await call(app, post({ review: 'great but awful', explain: true, top: 1 }))).json();
    expect(inBody.explanation.positive).toEqual([{ ngram: 'great', contribution: expect.any(Number) }]);
    expect(inBody.explanation.negative[0].ngram).toBe('awful');
    const inQuery = (await call(app, post({ review: 'great' }, { query: '?explain=true' }))).json();
    expect(inQuery.explanation.positive[0].ngram).toBe('great');
  });

  it('flags a review with no known words as answered by the prior, and abstained', async () => {
    const body = (await call(app, post({ review: 'zzzz qqqq' }))).json();
    expect(body).toMatchObject({ priorOnly: true, coverage: 0, abstained: true });
    expect(body.sentiment).toMatch(/^(positive|negative)$/);
  });

  it('gives every prediction the same fields, single or batch, with the version once per response', async () => {
    const fields = ['abstained', 'confidence', 'coverage', 'priorOnly', 'probabilityPositive', 'sentiment'];
    const single = (await call(app, post({ review: 'great film' }))).json();
    expect(Object.keys(single).sort()).toEqual([...fields, 'modelVersion'].sort());
    const batch = (await call(app, post({ reviews: ['great film', 'zzzz'] }))).json();
    expect(Object.keys(batch).sort()).toEqual(['errors', 'modelVersion', 'predictions']);
    for (const p of batch.predictions) expect(Object.keys(p).sort()).toEqual(fields);
    expect(batch.predictions.map((p: { abstained: boolean }) => p.abstained)).toEqual([false, true]);
  });

  it('says "unknown" for abstained predictions with ABSTAIN=true, and honours MIN_COVERAGE', async () => {
    const { app: abstaining } = testService({ ABSTAIN: 'true', MIN_COVERAGE: '0.5' });
    const body = (
      await call(abstaining, post({ reviews: ['great film', 'great zzqx', 'zzqx vvbn'] }))
    ).json();
    expect(body.predictions.map((p: { sentiment: string }) => p.sentiment)).toEqual([
      'positive',
      'unknown',
      'unknown',
    ]);
    const lenient = testService({ ABSTAIN: 'true', MIN_COVERAGE: '0.2' }).app;
    expect((await call(lenient, post({ review: 'great zzqx' }))).json().sentiment).toBe('positive');
    expect(() => testService({ MIN_COVERAGE: '2' })).toThrow(/MIN_COVERAGE/);
  });

  it('explains with the intercept push', async () => {
    const body = (await call(app, post({ review: 'great but awful', explain: true }))).json();
    expect(body.explanation.intercept).toEqual(expect.any(Number));
  });

  it.each([
    ['invalid JSON', post(null, { raw: '{"review": ' }), 400, 'invalid_json'],
    ['an empty body', post(null, { raw: '' }), 400, 'invalid_json'],
    [
      'invalid UTF-8',
      post(null, { raw: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) }),
      400,
      'invalid_encoding',
    ],
    ['a JSON array', post([1, 2]), 400, 'invalid_request'],
    ['a missing review', post({ text: 'hello' }), 400, 'invalid_request'],
    ['a non-string review', post({ review: 42 }), 400, 'invalid_request'],
    ['both review and reviews', post({ review: 'a', reviews: ['b'] }), 400, 'invalid_request'],
    ['an empty review', post({ review: '   ' }), 400, 'empty_review'],
    ['a non-boolean explain', post({ review: 'good', explain: 'yes' }), 400, 'invalid_request'],
    ['a batch that is not an array', post({ reviews: 'good' }), 400, 'invalid_batch'],
    ['an empty batch', post({ reviews: [] }), 400, 'invalid_batch'],
    [
      'a form body',
      post(null, { type: 'application/x-www-form-urlencoded', raw: 'review=good' }),
      415,
      'unsupported_media_type',
    ],
    [
      'a text body',
      post(null, { type: 'text/plain', raw: '{"review": "good"}' }),
      415,
      'unsupported_media_type',
    ],
  ])('refuses %s with a JSON error', async (_name, request, status, code) => {
    const response = await call(app, request);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const body = response.json();
    expect(body.error.code).toBe(code);
    expect(typeof body.error.message).toBe('string');
  });

  it('accepts a JSON body without a content type, and JSON with a charset', async () => {
    // A byte body, since a string body makes fetch add text/plain.
    const bytes = new TextEncoder().encode(JSON.stringify({ review: 'great' }));
    expect((await call(app, post(null, { type: null, raw: bytes }))).status).toBe(200);
    expect(
      (await call(app, post({ review: 'great' }, { type: 'application/json; charset=utf-8' }))).status,
    ).toBe(200);
  });

  // Bodies in memory: Lambda's, read whole rather than as a stream.
  it.each([false, true])(
    'enforces the configured limits: body bytes and review length (413), batch size (400); bodies in memory: %s',
    async (bodiesInMemory) => {
      const env = { MAX_BODY_BYTES: '200', MAX_REVIEW_CHARS: '50', MAX_BATCH_SIZE: '3' };
      const small = testService(env, undefined, { bodiesInMemory }).app;
      expect((await call(small, post({ review: 'x'.repeat(300) }))).json().error.code).toBe(
        'payload_too_large',
      );
      expect((await call(small, post({ review: 'x'.repeat(300) }))).status).toBe(413);
      // 200 bytes exactly is within the limit.
      const edge = await call(small, post(null, { raw: JSON.stringify({ review: 'x' }).padEnd(200, ' ') }));
      expect(edge.status).toBe(200);
      const over = await call(small, post(null, { raw: JSON.stringify({ review: 'x' }).padEnd(201, ' ') }));
      expect(over.status).toBe(413);
      const long = await call(small, post({ review: 'great '.repeat(10) }));
      expect([long.status, long.json().error.code]).toEqual([413, 'review_too_long']);
      const many = await call(small, post({ reviews: ['a1', 'b2', 'c3', 'd4'] }));
      expect([many.status, many.json().error.code]).toEqual([400, 'batch_too_large']);
    },
  );
});

describe('routes', () => {
  const { app } = testService();

  it('GET /health is ready (200) only with a model, trying a load when there is none', async () => {
    const store = new MemoryStore();
    store.failures = 1;
    const { app: fresh } = testService({}, store);
    const down = await call(fresh, { path: '/health' });
    expect(down.status).toBe(503);
    expect(down.json()).toEqual({ status: 'unavailable', modelLoaded: false, modelVersion: null });
    const up = await call(fresh, { path: '/health' });
    expect(up.status).toBe(200);
    expect(up.json()).toMatchObject({
      status: 'ok',
      modelLoaded: true,
      modelVersion: expect.stringMatching(/^[0-9a-f]{64}$/),
      model: { preset: 'tiny', sample: false, summary: expect.stringContaining('preset tiny') },
    });
  });

  it('GET /model describes the model', async () => {
    const body = (await call(app, { path: '/model' })).json();
    expect(body.version).toMatch(/^[0-9a-f]{64}$/);
    expect(body.preset).toBe('tiny');
    expect(body.vocabularySize).toBeGreaterThan(10);
    expect(body.calibration).toBeNull();
    // Where the model is stored (bucket, key, path) is not the caller's business.
    expect(body.uri).toBeUndefined();
    expect(JSON.stringify(body)).not.toContain('memory://');
  });

  it('GET /model shows a calibration the model carries', async () => {
    const { calibrateModel } = await import('../../src/training/calibrate.js');
    const { encodeModel } = await import('../../src/model/artifact.js');
    const { tinyModel } = await import('../model/helpers.js');
    const texts = Array.from({ length: 60 }, (_, i) => (i % 3 ? 'a film' : 'great film'));
    const labels = Uint8Array.from({ length: 60 }, (_, i) => (i % 3 ? 0 : 1));
    const { model } = calibrateModel(
      tinyModel(),
      { texts, labels, source: 'mine.csv', skipped: 0 },
      'base',
      'now',
    );
    const store = new MemoryStore(new Map([['memory://tiny', encodeModel(model)]]));
    const { app: calibrated } = testService({}, store);
    const body = (await call(calibrated, { path: '/model' })).json();
    expect(body.calibration).toMatchObject({
      method: 'platt',
      slope: expect.any(Number),
      baseVersion: 'base',
    });
    expect(body.calibration.data).toMatchObject({ source: 'mine.csv', documents: 60 });
  });

  it('GET /openapi.json is OpenAPI 3.1 and describes every route and error code', async () => {
    const doc = (await call(app, { path: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/',
      '/docs',
      '/health',
      '/model',
      '/openapi.json',
      '/predict',
    ]);
    // Each operation is named for generated clients (the contract test checks schemas and limits).
    for (const ops of Object.values(doc.paths) as Array<Record<string, { operationId?: string }>>)
      for (const op of Object.values(ops)) expect(op.operationId).toMatch(/^[a-zA-Z]+$/);
  });

  it('sends nosniff everywhere and a hash-based CSP on the pages', async () => {
    for (const path of ['/health', '/openapi.json', '/nope', '/', '/docs'])
      expect((await call(app, { path })).headers.get('x-content-type-options')).toBe('nosniff');
    for (const path of ['/', '/docs']) {
      const csp = (await call(app, { path })).headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]{44}'/);
      expect(csp).not.toContain("unsafe-inline'; script");
      expect(csp).toContain("connect-src 'self'");
    }
  });

  it('refuses a compressed body with 415 instead of reading it as plain', async () => {
    const request = post({ review: 'great' });
    const response = await call(app, {
      ...request,
      headers: { ...request.headers, 'content-encoding': 'br' },
    });
    expect(response.status).toBe(415);
    expect(response.json().error.code).toBe('unsupported_media_type');
    const identity = await call(app, {
      ...request,
      headers: { ...request.headers, 'content-encoding': 'identity' },
    });
    expect(identity.status).toBe(200);
  });

  it('GET / serves the playground page with no external assets', async () => {
    const response = await call(app, { path: '/' });
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(response.text).toContain('<textarea');
    expect(response.text).not.toMatch(/(src|href)="https?:/);
  });

  it('answers unknown routes with 404 and wrong methods with 405 and Allow', async () => {
    const missing = await call(app, { path: '/nope' });
    expect([missing.status, missing.json().error.code]).toEqual([404, 'not_found']);
    const wrong = await call(app, { path: '/predict', method: 'GET' });
    expect([wrong.status, wrong.json().error.code]).toEqual([405, 'method_not_allowed']);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect((await call(app, { path: '/health', method: 'DELETE' })).status).toBe(405);
  });
});

describe('model loading', () => {
  it('loads once for concurrent first requests', async () => {
    const store = new MemoryStore();
    const { app } = testService({}, store);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => call(app, post({ review: 'great' }))),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(store.reads).toBe(1);
  });

  it('answers 503 while the model cannot be loaded, then recovers on a later request', async () => {
    const store = new MemoryStore();
    store.failures = 1;
    const { app } = testService({}, store);
    const failed = await call(app, post({ review: 'great' }));
    expect([failed.status, failed.json().error.code]).toEqual([503, 'model_unavailable']);
    expect(failed.text).not.toContain('store unavailable');
    expect((await call(app, post({ review: 'great' }))).status).toBe(200);
    expect(store.reads).toBe(2);
  });

  it('refuses a corrupt artifact with 503, never serving it', async () => {
    const store = new MemoryStore(new Map([['memory://tiny', new Uint8Array(100)]]));
    const { app } = testService({}, store);
    expect((await call(app, post({ review: 'great' }))).status).toBe(503);
  });
});

describe('a service whose models index their vocabulary lazily (the Lambda entry)', () => {
  it('answers exactly as an eager one, and loading built no index', async () => {
    const config = readConfig({ MODEL_URI: 'memory://tiny' });
    const telemetry = new Telemetry({ metrics: false, logLevel: 'SILENT' });
    const lazy = createService(config, telemetry, new MemoryStore(), { vocabularyIndex: 'lazy' });
    const eager = testService();
    const request = post({
      reviews: ['a great and wonderful film', 'awful, boring plot', 'zzz'],
      explain: true,
    });
    expect((await call(lazy.app, request)).json()).toEqual((await call(eager.app, request)).json());
    expect((await lazy.models.get()).model.parameters.vocabulary.indexed).toBe(false);
    expect((await eager.models.get()).model.parameters.vocabulary.indexed).toBe(true);
  });
});
