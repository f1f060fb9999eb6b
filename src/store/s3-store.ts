import type { S3Client } from '@aws-sdk/client-s3';
import { SentimentError } from '../errors.js';
import { type ModelStore, maxModelBytes, StoreTimeoutError } from './model-store.js';
import { getObject, type S3Access, s3AccessFromEnv } from './s3-get.js';

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
 * Models in Amazon S3 (or an S3-compatible server). Reads are a signed GET (`s3-get.ts`) when the
 * environment holds credentials and a region, as a Lambda's does, which spares a cold start the AWS
 * SDK; otherwise, and for writes, the SDK (`s3-sdk.ts`, loaded on first use), as `createS3Client`
 * configures it or through the client given.
 */
export class S3ModelStore implements ModelStore {
  private sdkClient: S3Client | undefined;

  constructor(
    /** The SDK client for every operation; absent, one is made when the SDK is first needed. */
    client?: S3Client,
    /** A read, retries and body included, gives up after this long (or sooner, by its signal). */
    readonly deadlineMs = 5_000,
    /** A write (an upload) gives up after this long. */
    readonly writeDeadlineMs = 120_000,
    /** Largest object read. */
    readonly maxBytes = maxModelBytes(),
    /** Reads by signed GET with this access; by default the environment's, unless a client is given. */
    private readonly access: S3Access | null = client ? null : s3AccessFromEnv(),
  ) {
    this.sdkClient = client;
  }

  async read(uri: string, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    const { bucket, key } = parseS3Uri(uri);
    const signal = withDeadline(options.signal, this.deadlineMs);
    try {
      if (this.access)
        return await abortable(
          getObject(this.access, bucket, key, { signal, maxBytes: this.maxBytes }),
          signal,
        );
      const { readObject } = await import('./s3-sdk.js');
      return await abortable(readObject(await this.client(), bucket, key, signal, this.maxBytes), signal);
    } catch (error) {
      if (signal.aborted) {
        throw new StoreTimeoutError(
          `reading ${uri} ran out of time (deadline ${this.deadlineMs} ms or the caller's)`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  /** A single PUT is atomic in S3: readers see the old object or the new one. */
  async write(uri: string, bytes: Uint8Array, options: { signal?: AbortSignal } = {}): Promise<void> {
    const { bucket, key } = parseS3Uri(uri);
    const signal = withDeadline(options.signal, this.writeDeadlineMs);
    try {
      const { writeObject } = await import('./s3-sdk.js');
      await writeObject(await this.client(), bucket, key, bytes, signal);
    } catch (error) {
      if (signal.aborted) throw new StoreTimeoutError(`writing ${uri} ran out of time`, { cause: error });
      throw error;
    }
  }

  private async client(): Promise<S3Client> {
    if (!this.sdkClient) this.sdkClient = (await import('./s3-sdk.js')).createS3Client();
    return this.sdkClient;
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
