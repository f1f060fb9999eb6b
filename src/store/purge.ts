import {
  DeleteObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type ObjectIdentifier,
  type S3Client,
} from '@aws-sdk/client-s3';
import { SentimentError } from '../errors.js';
import { createS3Client } from './s3-sdk.js';

export interface PurgeResult {
  /** Object versions and delete markers removed (plain objects where the server keeps no versions). */
  deleted: number;
  /** Whether the server listed versions; false for S3-compatible servers without versioning. */
  versioned: boolean;
}

/** `s3://bucket` or `s3://bucket/prefix` into its parts (prefix may be empty: the whole bucket). */
export function parsePurgeTarget(uri: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new SentimentError('uri_invalid', `not an s3://bucket[/prefix] URI: ${uri}`);
  const prefix = match[2] === '' || match[2].endsWith('/') ? match[2] : `${match[2]}/`;
  return { bucket: match[1], prefix };
}

/**
 * Deletes every version and delete marker under a prefix of a bucket (the whole bucket for an empty
 * prefix), so a versioned bucket can then be removed: `aws s3 rm --recursive` only adds delete
 * markers there. Servers that keep no versions get their current objects deleted instead.
 * `dryRun` lists and counts without deleting.
 */
export async function purgeS3(
  uri: string,
  options: { dryRun?: boolean; client?: S3Client; onBatch?: (keys: string[]) => void } = {},
): Promise<PurgeResult> {
  const { bucket, prefix } = parsePurgeTarget(uri);
  const client = options.client ?? createS3Client();
  let deleted = 0;
  const remove = async (objects: ObjectIdentifier[]) => {
    if (objects.length === 0) return;
    options.onBatch?.(objects.map((o) => (o.VersionId ? `${o.Key} (${o.VersionId})` : `${o.Key}`)));
    deleted += objects.length;
    if (options.dryRun) return;
    const result = await client.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }),
    );
    if (result.Errors?.length) {
      const first = result.Errors[0];
      throw new Error(
        `could not delete ${result.Errors.length} objects, first ${first.Key}: ${first.Code} ${first.Message}`,
      );
    }
  };
  try {
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    do {
      const page = await client.send(
        new ListObjectVersionsCommand({
          Bucket: bucket,
          Prefix: prefix,
          KeyMarker: keyMarker,
          VersionIdMarker: versionMarker,
          MaxKeys: 1000,
        }),
      );
      await remove(
        [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({
          Key: v.Key!,
          VersionId: v.VersionId,
        })),
      );
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker !== undefined);
    return { deleted, versioned: true };
  } catch (error) {
    if (!isUnsupported(error)) throw error;
  }
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: 1000 }),
    );
    await remove((page.Contents ?? []).map((o) => ({ Key: o.Key! })));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return { deleted, versioned: false };
}

/** The answer of a server that does not implement versions (NotImplemented, 405, 501). */
function isUnsupported(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return e.name === 'NotImplemented' || e.name === 'MethodNotAllowed' || status === 405 || status === 501;
}
