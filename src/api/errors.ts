import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { SentimentError } from '../errors.js';

/** Every error code a client can see, with its HTTP status. */
export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_encoding: 400,
  invalid_request: 400,
  empty_review: 400,
  invalid_batch: 400,
  /** A batch item that is not a string (per item, in a batch's `errors`). */
  invalid_review: 400,
  payload_too_large: 413,
  review_too_long: 413,
  /** The reviews of one request hold more characters in all than its budget (MAX_REQUEST_CHARS). */
  request_too_large: 413,
  batch_too_large: 400,
  unsupported_media_type: 415,
  /** The body did not arrive within BODY_TIMEOUT_SECONDS. */
  request_timeout: 408,
  /** The client hung up before its body ended: nobody reads this answer; logged at INFO. */
  request_aborted: 400,
  not_found: 404,
  method_not_allowed: 405,
  model_unavailable: 503,
  /** The local server is receiving as many body bytes as it allows at once (MAX_INFLIGHT_BODY_BYTES). */
  server_busy: 503,
  internal_error: 500,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** An error the client is told about: `{"error": {"code", "message"}}` with the code's status. */
export class ApiError extends SentimentError {
  override readonly name = 'ApiError';
  declare readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(code, message, options);
  }

  get status(): ContentfulStatusCode {
    return ERROR_STATUS[this.code];
  }

  toJSON() {
    return { error: { code: this.code, message: this.message } };
  }
}
