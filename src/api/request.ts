import type { z } from 'zod';
import type { BodyBudget } from './body-budget.js';
import type { ApiConfig } from './config.js';
import { ApiError } from './errors.js';
import { type ApiSchemas, apiSchemas, MAX_TOP } from './schema.js';

/** A batch item that cannot be predicted, reported in the answer's `errors` instead of failing the batch. */
export interface ItemError {
  index: number;
  code: 'empty_review' | 'review_too_long' | 'invalid_review';
  message: string;
}

/** A validated prediction request. */
export interface PredictRequest {
  /** The reviews to predict; a batch item in `itemErrors` is `null` here. */
  reviews: Array<string | null>;
  itemErrors: ItemError[];
  /** True when the client sent `reviews` (answer with `predictions`), false for a single `review`. */
  batch: boolean;
  explain: boolean;
  top: number;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** How a body is read: its byte limit, how long it may take, and the process-wide byte budget (local server). */
export interface BodyLimits {
  maxBytes: number;
  /** Milliseconds to receive the whole body; a slower client is answered 408. */
  timeoutMs: number;
  budget?: BodyBudget;
  /**
   * The body is in memory already (a Lambda event's): taken whole, with no stream, timer or budget
   * (reading it as a stream would load Node's web streams on a cold start's first answer).
   */
  inMemory?: boolean;
}

/**
 * Reads a body stream within its limits: more than `maxBytes` is a 413, a body slower than
 * `timeoutMs` a 408, bytes beyond the shared budget a 503, and a client that hangs up mid-body a
 * `request_aborted` (nobody is left to answer; logged at INFO, not as a server error).
 */
async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  limits: BodyLimits,
  declared: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0);
  // A declared length is reserved before a byte is read: a refused body stays in the client's socket
  // (backpressure), not in this process. A chunked body takes from the budget as it arrives.
  let reserved = 0;
  const reserve = (bytes: number) => {
    if (!limits.budget) return;
    if (!limits.budget.take(bytes))
      throw new ApiError('server_busy', 'too many request bodies are being received at once; retry shortly');
    reserved += bytes;
  };
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = body.getReader();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new ApiError('request_timeout', `the body took over ${limits.timeoutMs / 1000} s to arrive`)),
      limits.timeoutMs,
    );
  });
  timedOut.catch(() => {});
  try {
    if (declared > 0) reserve(declared);
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await Promise.race([reader.read(), timedOut]);
      } catch (error) {
        if (error instanceof ApiError) throw error;
        throw new ApiError('request_aborted', 'the client closed the connection before the body ended', {
          cause: error,
        });
      }
      const { done, value } = chunk;
      if (done) break;
      length += value.length;
      if (length > limits.maxBytes)
        throw new ApiError('payload_too_large', `the body is over ${limits.maxBytes} bytes`);
      if (limits.budget && length > reserved) reserve(length - reserved);
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    if (signal?.aborted && !(error instanceof ApiError && error.code === 'request_aborted'))
      throw new ApiError('request_aborted', 'the client closed the connection before the body ended', {
        cause: error,
      });
    throw error;
  } finally {
    clearTimeout(timer);
    limits.budget?.give(reserved);
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** A body already in memory, whole; more than `maxBytes` is a 413. */
async function readWhole(request: Request, maxBytes: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.length > maxBytes) throw new ApiError('payload_too_large', `the body is over ${maxBytes} bytes`);
  return bytes;
}

/** The JSON body of a request, refusing wrong types, oversize bodies, bad UTF-8 and bad JSON by name. */
export async function readJsonBody(request: Request, limits: BodyLimits): Promise<unknown> {
  const type = request.headers.get('content-type');
  if (type !== null && !JSON_TYPE.test(type)) {
    throw new ApiError('unsupported_media_type', 'send the body as JSON with Content-Type: application/json');
  }
  const encoding = request.headers.get('content-encoding');
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') {
    throw new ApiError(
      'unsupported_media_type',
      `the body is ${encoding}-encoded; send plain JSON (no Content-Encoding)`,
    );
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limits.maxBytes)
    throw new ApiError('payload_too_large', `the body is over ${limits.maxBytes} bytes`);
  const bytes = limits.inMemory
    ? await readWhole(request, limits.maxBytes)
    : await readLimited(request.body, limits, declared, request.signal);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ApiError('invalid_encoding', 'the body is not valid UTF-8');
  }
  if (text.trim() === '') throw new ApiError('invalid_json', 'the body is empty: send {"review": "..."}');
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('invalid_json', 'the body is not valid JSON');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const schemaCache = new WeakMap<object, ApiSchemas>();
function schemasFor(config: ApiConfig): ApiSchemas {
  let schemas = schemaCache.get(config);
  if (!schemas) {
    schemas = apiSchemas(config);
    schemaCache.set(config, schemas);
  }
  return schemas;
}

/** What is wrong with one review text, from the first schema issue about it. */
function reviewProblem(issue: z.core.$ZodIssue, where: string, config: ApiConfig) {
  if (issue.code === 'invalid_type')
    return { code: 'invalid_review', message: `${where} must be a string` } as const;
  if (issue.code === 'too_big')
    return {
      code: 'review_too_long',
      message: `${where} is over ${config.maxReviewChars} characters`,
    } as const;
  return { code: 'empty_review', message: `${where} is empty` } as const;
}

/** The whole-request error for a schema issue outside the review texts. */
function requestProblem(issue: z.core.$ZodIssue, config: ApiConfig, body: Record<string, unknown>): ApiError {
  const [field] = issue.path;
  if (field === 'explain') return new ApiError('invalid_request', '"explain" must be true or false');
  if (field === 'top')
    return new ApiError('invalid_request', `"top" must be an integer from 1 to ${MAX_TOP}`);
  if (field === 'reviews') {
    if (issue.code === 'too_big')
      return new ApiError(
        'batch_too_large',
        `"reviews" has ${(body.reviews as unknown[]).length} items; the limit is ${config.maxBatchSize}`,
      );
    if (issue.code === 'too_small') return new ApiError('invalid_batch', '"reviews" is empty');
    return new ApiError('invalid_batch', '"reviews" must be an array of strings');
  }
  return new ApiError('invalid_request', issue.message);
}

/**
 * Validates a parsed body against the contract's schemas (`src/api/schema.ts`): `{"review": "..."}` or
 * `{"reviews": [...]}`, with optional `explain` and `top`. A batch's items are judged one by one, so a
 * bad item is reported in `itemErrors` while the others are answered. The texts together must fit the
 * request's character budget (413 `request_too_large`).
 */
export function parsePredictRequest(body: unknown, config: ApiConfig, explainQuery: boolean): PredictRequest {
  const usage = 'send {"review": "..."} or {"reviews": ["...", ...]}';
  if (!isRecord(body)) throw new ApiError('invalid_request', `the body must be a JSON object: ${usage}`);
  const batch = body.reviews !== undefined;
  if (batch && body.review !== undefined) throw new ApiError('invalid_request', `not both: ${usage}`);
  if (!batch && body.review === undefined)
    throw new ApiError('invalid_request', `missing "review": ${usage}`);
  const schemas = schemasFor(config);
  const parsed = (batch ? schemas.BatchRequest : schemas.SingleRequest).safeParse(body);
  const issues = parsed.success ? [] : parsed.error.issues;
  // Whole-request problems first (reviews' shape, explain, top); then each review on its own.
  const isText = (issue: z.core.$ZodIssue) =>
    batch ? issue.path[0] === 'reviews' && typeof issue.path[1] === 'number' : issue.path[0] === 'review';
  const whole = issues.find((issue) => !isText(issue));
  if (whole) throw requestProblem(whole, config, body);
  const options = {
    explain: body.explain === true || explainQuery,
    top: typeof body.top === 'number' ? body.top : 5,
  };
  let reviews: Array<string | null>;
  const itemErrors: ItemError[] = [];
  if (!batch) {
    const issue = issues[0];
    if (issue) {
      const problem = reviewProblem(issue, '"review"', config);
      throw new ApiError(
        problem.code === 'invalid_review' ? 'invalid_request' : problem.code,
        problem.message,
      );
    }
    reviews = [body.review as string];
  } else {
    const raw = body.reviews as unknown[];
    const bad = new Map<number, z.core.$ZodIssue>();
    for (const issue of issues) {
      const index = issue.path[1] as number;
      if (!bad.has(index)) bad.set(index, issue);
    }
    reviews = raw.map((item, index) => {
      const issue = bad.get(index);
      if (issue === undefined) return item as string;
      itemErrors.push({ index, ...reviewProblem(issue, `"reviews"[${index}]`, config) });
      return null;
    });
  }
  const chars = reviews.reduce((sum, r) => sum + (r?.length ?? 0), 0);
  if (chars > config.maxRequestChars) {
    throw new ApiError(
      'request_too_large',
      `the reviews hold ${chars} characters in all; the limit per request is ${config.maxRequestChars}: split the batch`,
    );
  }
  return { reviews, itemErrors, batch, ...options };
}
