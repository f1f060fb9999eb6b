import * as z from 'zod';
import { SentimentError } from '../errors.js';
import { type AbstentionPolicy, DEFAULT_MIN_COVERAGE } from '../model/prediction.js';
import { DEFAULT_MAX_MODEL_BYTES } from '../store/model-store.js';

/** The default character budget of one request (see MAX_REQUEST_CHARS). */
export const DEFAULT_MAX_REQUEST_CHARS = 200_000;

const integer = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = z.object({
  MODEL_URI: z.string().min(1).default('models/default/model.sntm'),
  /**
   * Body bytes: room for MAX_REQUEST_CHARS characters even if every one is a JSON \\uXXXX escape
   * (6 bytes), well inside Lambda's 6 MB payload limit; a larger body is refused before it is read.
   */
  MAX_BODY_BYTES: integer(1536 * 1024),
  /** Seconds a client has to send its whole body (408 after). */
  BODY_TIMEOUT_SECONDS: integer(10),
  /** Local server: body bytes received at once over all connections (503 server_busy beyond). */
  MAX_INFLIGHT_BODY_BYTES: integer(64 * 1024 * 1024),
  /** Local server: open connections (more are closed on arrival). */
  MAX_CONNECTIONS: integer(256),
  /** Largest model artifact read (a file or S3 object); larger ones are refused unread. */
  MAX_MODEL_BYTES: integer(DEFAULT_MAX_MODEL_BYTES),
  MAX_REVIEW_CHARS: integer(100_000),
  MAX_BATCH_SIZE: integer(100),
  /**
   * Characters of review text per request, summed over a batch: the cost budget. The heaviest request
   * this allows costs under 100 ms of CPU with the default model (bench/results/request-cost.md).
   */
  MAX_REQUEST_CHARS: integer(DEFAULT_MAX_REQUEST_CHARS),
  /** Re-read MODEL_URI (e.g. the manifest) in the background this often; 0 = load once per process. */
  MODEL_REFRESH_SECONDS: z.coerce.number().int().nonnegative().default(300),
  /** Predictions below this confidence are counted as low-confidence. */
  LOW_CONFIDENCE_THRESHOLD: z.coerce.number().min(0.5).max(1).default(0.6),
  /** Below this share of known n-grams a prediction is flagged `abstained`. */
  MIN_COVERAGE: z.coerce.number().min(0).max(1).default(DEFAULT_MIN_COVERAGE),
  /** Answer `"sentiment": "unknown"` for abstained predictions (off: positive/negative, flagged). */
  ABSTAIN: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Log review text (off: it is user content; its length is logged instead). */
  LOG_REVIEW_TEXT: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export type ApiConfig = {
  modelUri: string;
  modelRefreshMs: number | null;
  maxBodyBytes: number;
  maxModelBytes: number;
  bodyTimeoutMs: number;
  maxInflightBodyBytes: number;
  maxConnections: number;
  maxReviewChars: number;
  maxBatchSize: number;
  maxRequestChars: number;
  lowConfidenceThreshold: number;
  logReviewText: boolean;
  abstention: AbstentionPolicy;
};

export class ConfigError extends SentimentError {
  override readonly name = 'ConfigError';
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('config_invalid', message, options);
  }
}

/** MIN_COVERAGE and ABSTAIN alone, for the CLI: the same variables mean the same everywhere. */
export function readAbstention(env: Record<string, string | undefined> = process.env): AbstentionPolicy {
  const parsed = schema.pick({ MIN_COVERAGE: true, ABSTAIN: true }).safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid environment: ${problems.join('; ')}`);
  }
  return { minCoverage: parsed.data.MIN_COVERAGE, abstain: parsed.data.ABSTAIN };
}

/** Reads the service's settings from the environment once, naming any variable that is wrong. */
export function readConfig(env: Record<string, string | undefined> = process.env): ApiConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new ConfigError(`invalid environment: ${problems}`);
  }
  const c = parsed.data;
  return {
    modelUri: c.MODEL_URI,
    modelRefreshMs: c.MODEL_REFRESH_SECONDS === 0 ? null : c.MODEL_REFRESH_SECONDS * 1000,
    maxBodyBytes: c.MAX_BODY_BYTES,
    maxModelBytes: c.MAX_MODEL_BYTES,
    bodyTimeoutMs: c.BODY_TIMEOUT_SECONDS * 1000,
    maxInflightBodyBytes: c.MAX_INFLIGHT_BODY_BYTES,
    maxConnections: c.MAX_CONNECTIONS,
    maxReviewChars: c.MAX_REVIEW_CHARS,
    maxBatchSize: c.MAX_BATCH_SIZE,
    maxRequestChars: c.MAX_REQUEST_CHARS,
    lowConfidenceThreshold: c.LOW_CONFIDENCE_THRESHOLD,
    logReviewText: c.LOG_REVIEW_TEXT,
    abstention: { minCoverage: c.MIN_COVERAGE, abstain: c.ABSTAIN },
  };
}
