import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { ModelNotFoundError, type ModelStore } from './model-store.js';

/** Splits `s3://bucket/key` into its parts. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) throw new RangeError(`not an s3://bucket/key URI: ${uri}`);
  return { bucket: match[1], key: match[2] };
}

/**
 * An S3 client as the SDK configures itself (region, credentials, `AWS_ENDPOINT_URL_S3` /
 * `AWS_ENDPOINT_URL`), with path-style addressing when a custom endpoint is set (S3-compatible
 * servers rarely do virtual-hosted buckets), checksums only where S3 requires them, and failure
 * handling sized for a cold start: 5 attempts with the SDK's exponential backoff and jitter
 * (throttling and 5xx are retried), 2 s to connect, 4 s without a byte before a socket is dropped.
 */
export function createS3Client(config: S3ClientConfig = {}): S3Client {
  const endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  return new S3Client({
    forcePathStyle: endpoint !== undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 5,
    requestHandler: { connectionTimeout: 2000, requestTimeout: 4000 },
    ...config,
  });
}

export class StoreTimeoutError extends Error {
  override readonly name = 'StoreTimeoutError';
}

/** Models in Amazon S3 (or an S3-compatible server). */
export class S3ModelStore implements ModelStore {
  constructor(
    readonly client: S3Client = createS3Client(),
    /** A read, retries and body included, gives up after this long. */
    readonly deadlineMs = 15_000,
  ) {}

  async read(uri: string): Promise<Uint8Array> {
    const { bucket, key } = parseS3Uri(uri);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.deadlineMs);
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
        abortSignal: abort.signal,
      });
      if (!response.Body) throw new ModelNotFoundError(`empty response for ${uri}`);
      return await response.Body.transformToByteArray();
    } catch (error) {
      if (abort.signal.aborted) {
        throw new StoreTimeoutError(`reading ${uri} took longer than ${this.deadlineMs} ms`, {
          cause: error,
        });
      }
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') {
        throw new ModelNotFoundError(`no model at ${uri}`, { cause: error });
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A single PUT is atomic in S3: readers see the old object or the new one. */
  async write(uri: string, bytes: Uint8Array): Promise<void> {
    const { bucket, key } = parseS3Uri(uri);
    await this.client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: bytes,
        ContentType: 'application/octet-stream',
      }),
    );
  }
}
