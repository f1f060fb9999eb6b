import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { type AbstentionPolicy, toResult } from '../model/prediction.js';
import type { Explanation, Prediction } from '../model/sentiment-model.js';
import type { LoadedModel } from '../store/load-model.js';
import { AnalysisBudgetError } from '../text/analyzer.js';
import type { BodyBudget } from './body-budget.js';
import type { ApiConfig } from './config.js';
import { ApiError } from './errors.js';
import { describeModel } from './model-info.js';
import type { ModelProvider } from './model-provider.js';
import { openApiDocument } from './openapi.js';
import { PLAYGROUND_HTML } from './playground.js';
import { parsePredictRequest, readJsonBody } from './request.js';
import type { RequestRecord, Telemetry } from './telemetry.js';

export interface AppDependencies {
  config: ApiConfig;
  models: ModelProvider;
  telemetry: Telemetry;
  /**
   * The signal that ends this request's wait for the model, from the host (Lambda: the invocation's
   * remaining time less a margin to answer); none means the store's own deadline alone.
   */
  deadline?: (env: unknown) => AbortSignal | undefined;
  /** Body bytes all requests may hold at once (the local server; Lambda receives one request at a time). */
  bodyBudget?: BodyBudget;
  /** Request bodies arrive whole, in memory (Lambda's events), not streamed from a socket. */
  bodiesInMemory?: boolean;
}

/** Methods each route answers, for 405s with an Allow header. */
const ROUTES: Record<string, string[]> = {
  '/': ['GET', 'HEAD'],
  '/predict': ['POST'],
  '/health': ['GET', 'HEAD'],
  '/model': ['GET', 'HEAD'],
  '/openapi.json': ['GET', 'HEAD'],
  '/docs': ['GET', 'HEAD'],
};

export interface Variables {
  record: Partial<RequestRecord>;
}

function predictionBody(prediction: Prediction, policy: AbstentionPolicy, explanation?: Explanation) {
  return {
    ...toResult(prediction, policy),
    ...(explanation
      ? {
          explanation: {
            intercept: explanation.intercept,
            positive: explanation.positive,
            negative: explanation.negative,
          },
        }
      : {}),
  };
}

async function requireModel(models: ModelProvider, signal?: AbortSignal): Promise<LoadedModel> {
  try {
    return await models.get(signal);
  } catch (error) {
    throw new ApiError('model_unavailable', 'the model could not be loaded; try again shortly', {
      cause: error,
    });
  }
}

/**
 * The HTTP app, written once for AWS Lambda (`src/lambda.ts`) and the local server (`src/server.ts`).
 */
export function createApp({
  config,
  models,
  telemetry,
  deadline,
  bodyBudget,
  bodiesInMemory,
}: AppDependencies): Hono<{ Variables: Variables }> {
  const bodyLimits = {
    maxBytes: config.maxBodyBytes,
    timeoutMs: config.bodyTimeoutMs,
    budget: bodyBudget,
    inMemory: bodiesInMemory,
  };
  const app = new Hono<{ Variables: Variables }>();

  app.use(async (c, next) => {
    await next();
    // Browsers must take each response as the type it says it is. On the response's own headers:
    // `c.header` would rebuild the finished response around its body as a stream (loading Node's web
    // streams on a Lambda's first answer); only a response with immutable headers needs that.
    try {
      c.res.headers.set('X-Content-Type-Options', 'nosniff');
    } catch {
      c.header('X-Content-Type-Options', 'nosniff');
    }
  });

  app.use(async (c, next) => {
    const started = performance.now();
    const coldStart = telemetry.takeColdStart();
    c.set('record', {});
    await next();
    const record = c.get('record');
    telemetry.request(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
        requestId: c.req.header('x-amzn-requestid') ?? c.req.header('x-request-id'),
        ...record,
      },
      coldStart,
    );
  });

  app.onError((error, c) => {
    const apiError =
      error instanceof ApiError
        ? error
        : new ApiError('internal_error', 'an unexpected error occurred', { cause: error });
    if (apiError.code === 'internal_error') telemetry.logger.error('unhandled error', error);
    if (apiError.code === 'request_aborted')
      telemetry.logger.info('client closed the connection mid-request');
    else if (apiError.status < 500) telemetry.invalidRequest(apiError.code);
    if (apiError.code === 'server_busy') c.header('Retry-After', '1');
    // A body left unread is not drained into memory: the connection ends with the answer.
    if (UNREAD_BODY.has(apiError.code)) c.header('Connection', 'close');
    c.get('record').errorCode = apiError.code;
    return c.json(apiError.toJSON(), apiError.status);
  });

  app.notFound((c) => {
    const allowed = ROUTES[c.req.path];
    const error = allowed
      ? new ApiError(
          'method_not_allowed',
          `${c.req.method} is not allowed on ${c.req.path}; use ${allowed.join(' or ')}`,
        )
      : new ApiError('not_found', `no route ${c.req.path}`);
    telemetry.invalidRequest(error.code);
    c.get('record').errorCode = error.code;
    if (allowed) c.header('Allow', allowed.join(', '));
    return c.json(error.toJSON(), error.status);
  });

  app.get('/', (c) => {
    c.header('Content-Security-Policy', contentSecurityPolicy(PLAYGROUND_HTML));
    return c.html(PLAYGROUND_HTML);
  });

  // Ready means able to answer /predict: the model is loaded (a load is tried if it is not).
  app.get('/health', async (c) => {
    const loaded = await models.get(deadline?.(c.env)).catch(() => null);
    if (loaded) {
      const { preset, trainingReviews, testAccuracy, sample, summary } = describeModel(loaded.model);
      return c.json({
        status: 'ok',
        modelLoaded: true,
        modelVersion: loaded.version,
        model: { preset, trainingReviews, testAccuracy, sample, summary },
      });
    }
    return c.json({ status: 'unavailable', modelLoaded: false, modelVersion: null }, 503);
  });

  app.get('/openapi.json', (c) => c.json(openApiDocument(config)));

  // Loaded on first use: the page is not on the Lambda's cold-start path.
  app.get('/docs', async (c) => {
    const { DOCS_HTML } = await import('./docs.js');
    c.header('Content-Security-Policy', contentSecurityPolicy(DOCS_HTML));
    return c.html(DOCS_HTML);
  });

  app.get('/model', async (c) => {
    // No storage location (bucket, key, path): callers need the version, not where it lives.
    const { model, version, bytes } = await requireModel(models, deadline?.(c.env));
    const meta = model.metadata as Record<string, unknown>;
    return c.json({
      version,
      bytes,
      preset: meta.preset ?? null,
      createdAt: meta.createdAt ?? null,
      packageVersion: meta.packageVersion ?? null,
      vocabularySize: model.vocabularySize,
      ngramRange: model.parameters.analyzer.ngramRange,
      metrics: meta.metrics ?? null,
      training: meta.training ?? null,
      source: meta.source ?? null,
      calibration: model.parameters.calibration ? (meta.calibration ?? model.parameters.calibration) : null,
    });
  });

  app.post('/predict', async (c) => {
    const record = c.get('record');
    const body = await readJsonBody(c.req.raw, bodyLimits);
    const request = parsePredictRequest(body, config, c.req.query('explain') === 'true');
    record.reviewChars = request.reviews.reduce((sum, r) => sum + (r?.length ?? 0), 0);
    if (request.batch) record.batchSize = request.reviews.length;
    if (config.logReviewText) record.review = request.reviews.filter((r) => r !== null).join('\n');
    const { model, version } = await requireModel(models, deadline?.(c.env));
    record.modelVersion = version.slice(0, 12);
    const started = performance.now();
    // The character budget counts the texts as the model reads them (after lowercasing and accent
    // stripping, which can lengthen a text 18-fold), so the work per request stays bounded.
    let budget = config.maxRequestChars;
    const answers = request.reviews.map((review) => {
      if (review === null) return null;
      try {
        if (!request.explain) return predictionBody(model.predict(review, budget), config.abstention);
        const explanation = model.explain(review, request.top, budget);
        return predictionBody(explanation.prediction, config.abstention, explanation);
      } catch (error) {
        if (!(error instanceof AnalysisBudgetError)) throw error;
        throw new ApiError(
          'request_too_large',
          `the reviews are over ${config.maxRequestChars} characters in all once normalized (lowercased, accents stripped): split the batch`,
        );
      } finally {
        budget -= model.analyzedChars;
      }
    });
    const answered = answers.filter((a) => a !== null);
    telemetry.predictions(answered, config.lowConfidenceThreshold, performance.now() - started);
    if (!request.batch) return c.json({ ...answers[0], modelVersion: version });
    for (const error of request.itemErrors) telemetry.invalidRequest(error.code);
    if (request.itemErrors.length > 0) record.errorCode = request.itemErrors[0].code;
    // 200 when any item was answered; 400 with the same body when none was.
    return c.json(
      { predictions: answers, errors: request.itemErrors, modelVersion: version },
      answered.length > 0 ? 200 : 400,
    );
  });

  return app;
}

/** Errors answered before the whole body was read. */
const UNREAD_BODY = new Set(['payload_too_large', 'request_timeout', 'server_busy', 'request_aborted']);

const policies = new Map<string, string>();

/**
 * A Content-Security-Policy for one of the self-contained pages: nothing from elsewhere, fetches to
 * this origin only, and its inline script allowed by hash (not 'unsafe-inline').
 */
function contentSecurityPolicy(html: string): string {
  let policy = policies.get(html);
  if (policy === undefined) {
    const hashes = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
      (m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`,
    );
    policy = [
      "default-src 'none'",
      `script-src ${hashes.join(' ')}`,
      "style-src 'unsafe-inline'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; ');
    policies.set(html, policy);
  }
  return policy;
}
