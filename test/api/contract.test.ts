import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiSchemas } from '../../src/api/schema.js';
import { encodeModel } from '../../src/model/artifact.js';
import { TINY_OPTIONS, tinyModel } from '../model/helpers.js';
import { MemoryStore, post, testService } from './helpers.js';

type App = ReturnType<typeof testService>['app'];
async function call(app: App, request: RequestInit & { path: string }) {
  const { path, ...init } = request;
  const response = await app.request(path, init);
  return { status: response.status, body: JSON.parse(await response.text()) };
}

describe('the API contract: one zod schema validates requests and makes the OpenAPI document', () => {
  const { app, config } = testService({
    MAX_REVIEW_CHARS: '60',
    MAX_BATCH_SIZE: '4',
    MAX_REQUEST_CHARS: '100',
  });
  const schemas = apiSchemas(config);

  it('every answer, success or error, parses with the schema the document publishes for it', async () => {
    const cases: Array<[RequestInit & { path: string }, number, keyof typeof schemas]> = [
      [post({ review: 'a great film' }), 200, 'Prediction'],
      [post({ review: 'an awful film', explain: true, top: 2 }), 200, 'Prediction'],
      [post({ reviews: ['great', '', 7] }), 200, 'BatchAnswer'],
      [post({ reviews: ['', ' '] }), 400, 'BatchAnswer'],
      [post({ review: 3 }), 400, 'Error'],
      [post({ review: 'x'.repeat(61) }), 413, 'Error'],
      [post(null, { raw: '{' }), 400, 'Error'],
      [{ path: '/health' }, 200, 'Health'],
      [{ path: '/model' }, 200, 'ModelDescription'],
      [{ path: '/nowhere' }, 404, 'Error'],
      [{ path: '/health', method: 'DELETE' }, 405, 'Error'],
    ];
    for (const [request, status, schema] of cases) {
      const response = await call(app, request);
      expect([request.path, response.status]).toEqual([request.path, status]);
      const parsed = schemas[schema].safeParse(response.body);
      expect(parsed.error?.issues ?? [], `${schema}: ${JSON.stringify(response.body)}`).toEqual([]);
    }
  });

  it('the limits the document states are the limits the service enforces, one past each refused', async () => {
    const doc = (await call(app, { path: '/openapi.json' })).body;
    const batch = doc.components.schemas.BatchRequest.properties;
    const maxItems: number = batch.reviews.maxItems;
    const maxLength: number = doc.components.schemas.SingleRequest.properties.review.maxLength;
    const maxTop: number = batch.top.maximum;
    expect([maxItems, maxLength]).toEqual([4, 60]);
    const ok = async (body: unknown) => (await call(app, post(body))).status;
    expect(await ok({ reviews: Array(maxItems).fill('fine') })).toBe(200);
    expect(await ok({ reviews: Array(maxItems + 1).fill('fine') })).toBe(400);
    expect(await ok({ review: 'y'.repeat(maxLength) })).toBe(200);
    expect(await ok({ review: 'y'.repeat(maxLength + 1) })).toBe(413);
    expect(await ok({ review: 'fine', top: maxTop })).toBe(200);
    expect(await ok({ review: 'fine', top: maxTop + 1 })).toBe(400);
    expect(await ok({ review: 'fine', top: 1.5 })).toBe(400);
    // The pattern that makes a blank review an error is in the document too.
    expect(new RegExp(doc.components.schemas.SingleRequest.properties.review.pattern).test(' \n')).toBe(
      false,
    );
    expect(await ok({ review: ' \n' })).toBe(400);
  });

  it('passes redocly lint (recommended rules) with no errors and no warnings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
    const file = join(dir, 'openapi.json');
    return call(app, { path: '/openapi.json' }).then(({ body }) => {
      writeFileSync(file, JSON.stringify(body));
      const out = execFileSync('node_modules/.bin/redocly', ['lint', file, '--format', 'json'], {
        encoding: 'utf8',
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      });
      const report = JSON.parse(out);
      expect(
        report.problems.map((p: { ruleId: string; message: string }) => `${p.ruleId}: ${p.message}`),
      ).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    });
  });
});

describe('the cost budget: characters per request, counted as the model reads them', () => {
  const env = { MAX_REVIEW_CHARS: '600', MAX_REQUEST_CHARS: '1000', MAX_BATCH_SIZE: '10' };

  it('accepts the heaviest request the budget allows and refuses one character more with 413', async () => {
    const { app } = testService(env);
    const exactly = await call(app, post({ reviews: ['good '.repeat(100), 'bad '.repeat(125)] }));
    expect(exactly.status).toBe(200);
    expect(exactly.body.predictions.every((p: unknown) => p !== null)).toBe(true);
    const over = await call(app, post({ reviews: ['good '.repeat(100), `${'bad '.repeat(125)}!`] }));
    expect([over.status, over.body.error.code]).toEqual([413, 'request_too_large']);
    expect(over.body.error.message).toContain('1000');
    // Items refused on their own do not count against the budget.
    const withBad = await call(
      app,
      post({ reviews: ['good '.repeat(100), 'bad '.repeat(125), 'x'.repeat(601)] }),
    );
    expect(withBad.status).toBe(200);
  });

  it('counts characters after normalization: NFKD makes one U+FDFA 18 characters', async () => {
    const accents = encodeModel(tinyModel({ tfidf: { ...TINY_OPTIONS.tfidf, stripAccents: 'unicode' } }));
    const store = new MemoryStore(new Map([['memory://tiny', accents]]));
    const { app } = testService(env, store);
    expect((await call(app, post({ review: '\uFDFA'.repeat(55) }))).status).toBe(200); // 990
    const over = await call(app, post({ review: '\uFDFA'.repeat(56) })); // 1,008 once normalized
    expect([over.status, over.body.error.code]).toEqual([413, 'request_too_large']);
    // Summed over a batch: two reviews that fit alone (540 each) do not fit together.
    const pair = await call(app, post({ reviews: ['\uFDFA'.repeat(30), '\uFDFA'.repeat(30)] }));
    expect([pair.status, pair.body.error?.code]).toEqual([413, 'request_too_large']);
    expect((await call(app, post({ reviews: ['\uFDFA'.repeat(27), '\uFDFA'.repeat(27)] }))).status).toBe(200);
    // The plain model reads U+FDFA as one character: the same review fits.
    expect((await call(testService(env).app, post({ review: '\uFDFA'.repeat(56) }))).status).toBe(200);
  });
});
