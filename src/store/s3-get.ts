import type { IncomingMessage } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { SentimentError } from '../errors.js';
import { ModelNotFoundError, modelTooLarge } from './model-store.js';
import { type AwsCredentials, encodeKey, signS3Request } from './sigv4.js';

/**
 * Reading one S3 object with a signed GET over node:http(s): what a Lambda's cold start needs from
 * S3, without loading and configuring the AWS SDK (about 100 ms of a cold start, measured). Used when
 * the environment holds the credentials and region, as Lambda's always does; anything else
 * (profiles, SSO, FIPS or dual-stack endpoints, writes) goes through the SDK.
 */
export interface S3Access {
  credentials: AwsCredentials;
  region: string;
  /** AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL: an S3-compatible server, addressed path-style. */
  endpoint?: string;
}

/** The access the environment gives, or null when the SDK's resolution is needed. */
export function s3AccessFromEnv(env: Record<string, string | undefined> = process.env): S3Access | null {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!accessKeyId || !secretAccessKey || !region) return null;
  if (/^true$/i.test(env.AWS_USE_FIPS_ENDPOINT ?? '') || /^true$/i.test(env.AWS_USE_DUALSTACK_ENDPOINT ?? ''))
    return null;
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL;
  return {
    credentials: { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined },
    region,
    ...(endpoint ? { endpoint } : {}),
  };
}

/** Where an object is: path-style on a custom endpoint or for bucket names with dots, else virtual-hosted. */
export function objectUrl(access: S3Access, bucket: string, key: string): URL {
  const path = encodeKey(key);
  if (access.endpoint) return new URL(`${access.endpoint.replace(/\/+$/, '')}/${bucket}/${path}`);
  const domain = access.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  if (/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket))
    return new URL(`https://${bucket}.s3.${access.region}.${domain}/${path}`);
  return new URL(`https://s3.${access.region}.${domain}/${bucket}/${path}`);
}

export interface GetOptions {
  signal: AbortSignal;
  maxBytes: number;
  /** Attempts in all (throttling, 5xx and dropped connections are retried), as the SDK's 5. */
  attempts?: number;
  connectTimeoutMs?: number;
}

/** S3 answered with an error other than a missing object (access denied, a bad request). */
export class S3RequestError extends SentimentError {
  override readonly name = 'S3RequestError';
  constructor(
    readonly status: number,
    readonly s3Code: string,
    message: string,
  ) {
    super('store_request_failed', message, {
      hint:
        status === 403
          ? "check that the credentials (the function's role on Lambda) allow s3:GetObject on the key, and AWS_REGION is the bucket's"
          : undefined,
    });
  }
}

/** An answer worth trying again: throttling, a server error or a dropped connection. */
class Retryable extends Error {
  constructor(
    message: string,
    readonly throttled = false,
  ) {
    super(message);
  }
}

/** The object's bytes. Missing: ModelNotFoundError; over `maxBytes`: model_too_large; others: S3RequestError. */
export async function getObject(
  access: S3Access,
  bucket: string,
  key: string,
  options: GetOptions,
): Promise<Uint8Array> {
  const uri = `s3://${bucket}/${key}`;
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    try {
      return await getOnce(access, bucket, key, uri, options);
    } catch (error) {
      if (!(error instanceof Retryable) || options.signal.aborted) throw error;
      if (attempt >= attempts)
        throw new SentimentError(
          'store_unavailable',
          `reading ${uri} failed ${attempt} times: ${error.message}`,
          {
            cause: error,
          },
        );
      // Exponential backoff with full jitter, as the SDK's standard retry strategy (longer when throttled).
      const base = error.throttled ? 500 : 100;
      await delay(Math.random() * Math.min(20_000, base * 2 ** attempt), undefined, {
        signal: options.signal,
      });
    }
  }
}

async function getOnce(
  access: S3Access,
  bucket: string,
  key: string,
  uri: string,
  options: GetOptions,
): Promise<Uint8Array> {
  const url = objectUrl(access, bucket, key);
  const headers = signS3Request({
    method: 'GET',
    host: url.host,
    path: url.pathname,
    region: access.region,
    credentials: access.credentials,
    date: new Date(),
  });
  // Not `import('node:http')`: an ES import builds the module's namespace, reading every export, and
  // node:http's WebSocket loads undici (60-90 ms of a cold start, measured). getBuiltinModule does not.
  const { request } =
    url.protocol === 'https:'
      ? process.getBuiltinModule('node:https')
      : process.getBuiltinModule('node:http');
  return new Promise<Uint8Array>((resolve, reject) => {
    const req = request(url, { method: 'GET', headers, signal: options.signal });
    const connectMs = options.connectTimeoutMs ?? 2000;
    const connectTimer = setTimeout(
      () => req.destroy(new Retryable(`no connection to ${url.host} within ${connectMs} ms`)),
      connectMs,
    );
    req.on('socket', (socket) => {
      if (!socket.connecting) clearTimeout(connectTimer);
      else socket.once('connect', () => clearTimeout(connectTimer));
    });
    req.on('error', (error) => {
      clearTimeout(connectTimer);
      reject(options.signal.aborted || error instanceof Retryable ? error : new Retryable(error.message));
    });
    req.on('response', (response: IncomingMessage) => {
      clearTimeout(connectTimer);
      const status = response.statusCode ?? 0;
      const declared = Number(response.headers['content-length'] ?? Number.NaN);
      if (status === 200 && declared > options.maxBytes) {
        response.destroy();
        reject(modelTooLarge(uri, options.maxBytes, declared));
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        // Errors are short XML; a body past the limit is refused as it arrives.
        if (received > (status === 200 ? options.maxBytes : 64 * 1024)) {
          response.destroy();
          reject(modelTooLarge(uri, options.maxBytes));
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', (error) =>
        reject(options.signal.aborted ? error : new Retryable(`reading ${uri}: ${error.message}`)),
      );
      response.on('end', () => {
        const body = Buffer.concat(chunks, received);
        if (status === 200) {
          if (Number.isFinite(declared) && declared !== received)
            reject(new Retryable(`${uri}: ${received} of ${declared} bytes arrived`));
          else resolve(new Uint8Array(body.buffer, body.byteOffset, body.length));
          return;
        }
        const text = body.toString('utf8');
        const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? `HTTP ${status}`;
        const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? '';
        if (status === 404 && (code === 'NoSuchKey' || code === 'HTTP 404'))
          reject(new ModelNotFoundError(`no model at ${uri}`));
        else if (status === 429 || status === 503 || code === 'SlowDown' || code === 'Throttling')
          reject(new Retryable(`${uri}: ${code}`, true));
        else if (status >= 500) reject(new Retryable(`${uri}: ${code}`));
        else
          reject(
            new S3RequestError(
              status,
              code,
              `reading ${uri}: S3 answered ${status} ${code}${message ? `: ${message}` : ''}`,
            ),
          );
      });
    });
    req.end();
  });
}
