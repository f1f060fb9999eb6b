import type { ApiConfig } from './config.js';
import { ApiError } from './errors.js';

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

/** Reads at most `limit` bytes of a body stream; more is a 413, not a buffer that grows without end. */
async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > limit) {
      await reader.cancel().catch(() => {});
      throw new ApiError('payload_too_large', `the body is over ${limit} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** The JSON body of a request, refusing wrong types, oversize bodies, bad UTF-8 and bad JSON by name. */
export async function readJsonBody(request: Request, config: ApiConfig): Promise<unknown> {
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
  if (declared > config.maxBodyBytes)
    throw new ApiError('payload_too_large', `the body is over ${config.maxBodyBytes} bytes`);
  const bytes = await readLimited(request.body, config.maxBodyBytes);
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

function checkReview(review: string, config: ApiConfig, where: string): void {
  if (review.length > config.maxReviewChars) {
    throw new ApiError('review_too_long', `${where} is over ${config.maxReviewChars} characters`);
  }
}

/** Validates a parsed body: `{"review": "..."}` or `{"reviews": [...]}`, with optional `explain` and `top`. */
export function parsePredictRequest(body: unknown, config: ApiConfig, explainQuery: boolean): PredictRequest {
  const usage = 'send {"review": "..."} or {"reviews": ["...", ...]}';
  if (!isRecord(body)) throw new ApiError('invalid_request', `the body must be a JSON object: ${usage}`);
  const { review, reviews, explain, top } = body;
  if (explain !== undefined && typeof explain !== 'boolean') {
    throw new ApiError('invalid_request', '"explain" must be true or false');
  }
  if (top !== undefined && !(typeof top === 'number' && Number.isInteger(top) && top >= 1 && top <= 50)) {
    throw new ApiError('invalid_request', '"top" must be an integer from 1 to 50');
  }
  const options = { explain: explain === true || explainQuery, top: typeof top === 'number' ? top : 5 };
  if (review !== undefined && reviews !== undefined)
    throw new ApiError('invalid_request', `not both: ${usage}`);
  if (review !== undefined) {
    if (typeof review !== 'string') throw new ApiError('invalid_request', '"review" must be a string');
    checkReview(review, config, '"review"');
    if (review.trim() === '') throw new ApiError('empty_review', '"review" is empty');
    return { reviews: [review], itemErrors: [], batch: false, ...options };
  }
  if (reviews !== undefined) {
    if (!Array.isArray(reviews)) throw new ApiError('invalid_batch', '"reviews" must be an array of strings');
    if (reviews.length === 0) throw new ApiError('invalid_batch', '"reviews" is empty');
    if (reviews.length > config.maxBatchSize) {
      throw new ApiError(
        'batch_too_large',
        `"reviews" has ${reviews.length} items; the limit is ${config.maxBatchSize}`,
      );
    }
    // Each item is judged on its own: one bad review does not cost the others their answers.
    const itemErrors: ItemError[] = [];
    const items = reviews.map((item, index): string | null => {
      const error = (code: ItemError['code'], message: string) => {
        itemErrors.push({ index, code, message });
        return null;
      };
      if (typeof item !== 'string') return error('invalid_review', `"reviews"[${index}] must be a string`);
      if (item.length > config.maxReviewChars)
        return error('review_too_long', `"reviews"[${index}] is over ${config.maxReviewChars} characters`);
      if (item.trim() === '') return error('empty_review', `"reviews"[${index}] is empty`);
      return item;
    });
    // The whole body still has a bound: the body-size limit (413) covers the total.
    return { reviews: items, itemErrors, batch: true, ...options };
  }
  throw new ApiError('invalid_request', `missing "review": ${usage}`);
}
