import { createHash, createHmac } from 'node:crypto';

/** AWS credentials as Lambda hands them to a function (its environment). */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The hash S3 is told to skip: the body of a GET is empty and not signed. */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** An S3 object key as a request path segment: RFC 3986 unreserved characters and `/` kept. */
export function encodeKey(key: string): string {
  return key
    .split('/')
    .map((part) =>
      encodeURIComponent(part).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join('/');
}

/**
 * Signature Version 4 headers for one S3 request with no query string (a GET of an object): the
 * `Authorization` header and the `x-amz-*` headers it signs. `path` is already encoded (`encodeKey`);
 * S3 signs it as sent, not encoded twice. `headers` are extra headers to sign (lowercase names).
 * Only what reading a model needs; everything else goes through the AWS SDK.
 */
export function signS3Request(request: {
  method: string;
  host: string;
  path: string;
  region: string;
  credentials: AwsCredentials;
  date: Date;
  payloadHash?: string;
  headers?: Record<string, string>;
}): Record<string, string> {
  const amzDate = request.date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const payloadHash = request.payloadHash ?? UNSIGNED_PAYLOAD;
  const signed: Record<string, string> = {
    ...request.headers,
    host: request.host,
    'x-amz-content-sha256': payloadHash,
    'x-amz-date': amzDate,
  };
  if (request.credentials.sessionToken) signed['x-amz-security-token'] = request.credentials.sessionToken;
  const names = Object.keys(signed).sort();
  const canonical = [
    request.method,
    request.path,
    '',
    ...names.map((name) => `${name}:${signed[name].trim().replace(/\s+/g, ' ')}`),
    '',
    names.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${day}/${request.region}/s3/aws4_request`;
  const toSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonical).digest('hex'),
  ].join('\n');
  let key: Buffer = hmac(`AWS4${request.credentials.secretAccessKey}`, day);
  for (const part of [request.region, 's3', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  const { host: _host, ...sent } = signed;
  return {
    ...sent,
    authorization: `AWS4-HMAC-SHA256 Credential=${request.credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}
