import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { encodeKey, signS3Request, UNSIGNED_PAYLOAD } from '../../src/store/sigv4.js';

/** node:crypto in the shape the SDK's signer takes. */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash =
      secret === undefined
        ? createHash('sha256')
        : createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(secret as Uint8Array));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(typeof data === 'string' ? data : Buffer.from(data as Uint8Array));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

describe('SigV4 for S3 GETs', () => {
  it("matches the worked example of S3's documentation (GET /test.txt with a Range header)", () => {
    const headers = signS3Request({
      method: 'GET',
      host: 'examplebucket.s3.amazonaws.com',
      path: '/test.txt',
      region: 'us-east-1',
      credentials: {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
      date: new Date('2013-05-24T00:00:00Z'),
      payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      headers: { range: 'bytes=0-9' },
    });
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    expect(headers['x-amz-date']).toBe('20130524T000000Z');
  });

  it("signs as the AWS SDK's own signer does, for keys, regions, dates and session tokens", async () => {
    const keys = ['model.sntm', 'sentiment/manifest.json', 'a b/c+d=e&f', 'ünï/cödé 😀.sntm', "x!'()*~._-/y"];
    const regions = ['us-east-1', 'eu-west-3', 'ap-southeast-2'];
    let n = 0;
    for (const key of keys) {
      for (const region of regions) {
        for (const sessionToken of [undefined, 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ==']) {
          const date = new Date(Date.UTC(2026, 10, 26, 12, 34, 56 + n++));
          const credentials = {
            accessKeyId: 'ASIAEXAMPLE',
            secretAccessKey: `secret/${region}+key`,
            sessionToken,
          };
          const host = `models-${region}.s3.${region}.amazonaws.com`;
          const path = `/${encodeKey(key)}`;
          const ours = signS3Request({ method: 'GET', host, path, region, credentials, date });
          const sdk = await new SignatureV4({
            service: 's3',
            region,
            credentials,
            sha256: Sha256,
            uriEscapePath: false,
            applyChecksum: false,
          }).sign(
            {
              method: 'GET',
              protocol: 'https:',
              hostname: host,
              path,
              headers: { host, 'x-amz-content-sha256': UNSIGNED_PAYLOAD },
              query: {},
            },
            { signingDate: date },
          );
          expect(ours.authorization).toBe(sdk.headers.authorization);
          expect(ours['x-amz-security-token']).toBe(sdk.headers['x-amz-security-token']);
        }
      }
    }
  });

  it('encodes keys as S3 expects: every byte but unreserved characters and slashes', () => {
    expect(encodeKey("a b/c+d=e&f/ü/x!'()*~._-")).toBe('a%20b/c%2Bd%3De%26f/%C3%BC/x%21%27%28%29%2A~._-');
  });
});
