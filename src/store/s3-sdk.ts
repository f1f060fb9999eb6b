import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { ModelNotFoundError, modelTooLarge } from './model-store.js';

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

/** One object's bytes through the SDK; a missing one is ModelNotFoundError. */
export async function readObject(
  client: S3Client,
  bucket: string,
  key: string,
  signal: AbortSignal,
  maxBytes: number,
): Promise<Uint8Array> {
  const uri = `s3://${bucket}/${key}`;
  try {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
      abortSignal: signal,
    });
    if (!response.Body) throw new ModelNotFoundError(`empty response for ${uri}`);
    if (response.ContentLength !== undefined && response.ContentLength > maxBytes) {
      // Refused without reading it: drop the connection rather than download what is refused.
      (response.Body as { destroy?: () => void }).destroy?.();
      throw modelTooLarge(uri, maxBytes, response.ContentLength);
    }
    return await response.Body.transformToByteArray();
  } catch (error) {
    if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') {
      throw new ModelNotFoundError(`no model at ${uri}`, { cause: error });
    }
    throw error;
  }
}

/** A single PUT. */
export async function writeObject(
  client: S3Client,
  bucket: string,
  key: string,
  bytes: Uint8Array,
  signal: AbortSignal,
): Promise<void> {
  await client.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: 'application/octet-stream' }),
    { abortSignal: signal },
  );
}
