import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { SentimentError } from '../errors.js';
import { ModelNotFoundError, type ModelStore, maxModelBytes, StoreTimeoutError } from './model-store.js';

export { StoreTimeoutError };

/** Splits `s3://bucket/key` into its parts. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match)
    throw new SentimentError('uri_invalid', `not an s3://bucket/key URI: ${uri}`, {
      hint: 'an S3 model is s3://<bucket>/<key>, such as s3://my-bucket/sentiment/manifest.json',
    });
  return { bucket: match[1], key: match[2] };
}

/**
 * An S3 client as the SDK configures itself (region, credentials, `AWS_ENDPOINT_URL_S3` /
 * `AWS_ENDPOINT_URL`), with path-style addressing when a custom endpoint is set (S3-compatible
 * servers rarely do virtual-hosted buckets), checksums only where S3 requires them, and failure
 * handling sized for a cold start: 5 attempts with the SDK's exponential backoff and jitter
 * (throttling and 5xx are retried), 2 s to connect. What bounds a read or write in time is the
 * store's deadline (an AbortSignal), not the handler's `requestTimeout`, which only warns.
 */
export function createS3Client(config: S3ClientConfig = {}): S3Client {
  const endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  return new S3Client({
    forcePathStyle: endpoint !== undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 5,
    requestHandler: { connectionTimeout: 2000 },
    ...config,
  });
}

/** Models in Amazon S3 (or an S3-compatible server). */
export class S3ModelStore implements ModelStore {
  constructor(
    readonly client: S3Client = createS3Client(),
    /** A read, retries and body included, gives up after this long (or sooner, by its signal). */
    readonly deadlineMs = 5_000,
    /** A write (an upload) gives up after this long. */
    readonly writeDeadlineMs = 120_000,
    /** Largest object read. */
    readonly maxBytes = maxModelBytes(),
  ) {}

  async read(uri: string, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    const { bucket, key } = parseS3Uri(uri);
    const signal = withDeadline(options.signal, this.deadlineMs);
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
        abortSignal: signal,
      });
      if (!response.Body) throw new ModelNotFoundError(`empty response for ${uri}`);
      if (response.ContentLength !== undefined && response.ContentLength > this.maxBytes) {
        // Refused without reading it: drop the connection rather than download what is refused.
        (response.Body as { destroy?: () => void }).destroy?.();
        throw new SentimentError(
          'model_too_large',
          `${uri} is ${response.ContentLength} bytes, over the ${this.maxBytes}-byte limit`,
          { hint: 'set MAX_MODEL_BYTES higher if this really is a model' },
        );
      }
      return await abortable(response.Body.transformToByteArray(), signal);
    } catch (error) {
      if (signal.aborted) {
        throw new StoreTimeoutError(
          `reading ${uri} ran out of time (deadline ${this.deadlineMs} ms or the caller's)`,
          {
            cause: error,
          },
        );
      }
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') {
        throw new ModelNotFoundError(`no model at ${uri}`, { cause: error });
      }
      throw error;
    }
  }

  /** A single PUT is atomic in S3: readers see the old object or the new one. */
  async write(uri: string, bytes: Uint8Array, options: { signal?: AbortSignal } = {}): Promise<void> {
    const { bucket, key } = parseS3Uri(uri);
    const signal = withDeadline(options.signal, this.writeDeadlineMs);
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: bytes,
          ContentType: 'application/octet-stream',
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      if (signal.aborted) throw new StoreTimeoutError(`writing ${uri} ran out of time`, { cause: error });
      throw error;
    }
  }
}

/** The caller's signal, or the store's own deadline, whichever ends first. */
function withDeadline(signal: AbortSignal | undefined, ms: number): AbortSignal {
  const own = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, own]) : own;
}

/** Rejects when `signal` aborts even if `promise` never settles (a body stream that stalls). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
