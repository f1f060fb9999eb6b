import { existsSync, readFileSync } from 'node:fs';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ListMapRunsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { SentimentError } from '../errors.js';
import { parseS3Uri } from '../store/s3-store.js';

/** The prefixes the stack's batch jobs read from and write to (infra/batch.ts). */
export const INPUT_PREFIX = 'batch/in/';
export const OUTPUT_PREFIX = 'batch/out/';
/** The stack output that names the state machine (`cdk deploy --outputs-file cdk-outputs.json`). */
export const STATE_MACHINE_OUTPUT = 'BatchStateMachineArn';

export class BatchJobError extends SentimentError {
  override readonly name = 'BatchJobError';
  constructor(code: string, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(code, message, options);
  }
}

export interface JobInput {
  key: string;
  format: 'csv' | 'jsonl';
  textColumn: string | null;
  keep: string | null;
}

const formatOf = (key: string) => (/\.csv$/i.test(key) ? 'csv' : /\.jsonl$/i.test(key) ? 'jsonl' : null);

/**
 * The job for an input URI: a .csv or .jsonl object under batch/in/ of a bucket, or a folder there
 * (ending in "/") whose objects share one of those formats (`format` then says which).
 */
export function jobFor(
  uri: string,
  options: { textColumn?: string; keep?: string; format?: 'csv' | 'jsonl' } = {},
): { bucket: string; input: JobInput } {
  const { bucket, key } = parseS3Uri(uri);
  if (!key.startsWith(INPUT_PREFIX) || key.includes('/../'))
    throw new BatchJobError(
      'batch_input_outside_prefix',
      `${uri} is not under s3://${bucket}/${INPUT_PREFIX}`,
      {
        hint: `upload it there first: aws s3 cp reviews.csv s3://${bucket}/${INPUT_PREFIX}reviews.csv`,
      },
    );
  const format = key.endsWith('/') ? (options.format ?? null) : formatOf(key);
  if (format === null)
    throw new BatchJobError('batch_input_format', `${uri} is neither .csv nor .jsonl`, {
      hint: 'Step Functions reads CSV (with a header row) or JSON Lines, uncompressed',
    });
  return {
    bucket,
    input: { key, format, textColumn: options.textColumn ?? null, keep: options.keep ?? null },
  };
}

/**
 * The batch state machine: given, else SENTIMENT_STATE_MACHINE_ARN, else the `BatchStateMachineArn`
 * output in the outputs file `npm run deploy` writes (cdk-outputs.json).
 */
export function findStateMachine(given: string | undefined, outputsFile = 'cdk-outputs.json'): string {
  if (given) return given;
  const fromEnv = process.env.SENTIMENT_STATE_MACHINE_ARN;
  if (fromEnv) return fromEnv;
  if (existsSync(outputsFile)) {
    let outputs: Record<string, Record<string, string>>;
    try {
      outputs = JSON.parse(readFileSync(outputsFile, 'utf8'));
    } catch (error) {
      throw new BatchJobError('batch_outputs_invalid', `${outputsFile} is not JSON`, { cause: error });
    }
    for (const stack of Object.values(outputs))
      if (stack?.[STATE_MACHINE_OUTPUT]) return stack[STATE_MACHINE_OUTPUT];
  }
  throw new BatchJobError(
    'batch_state_machine_unknown',
    'no batch state machine: none given and none in the stack outputs',
    {
      hint: `deploy with "npm run deploy" (it writes ${outputsFile}), or pass --state-machine <arn> or set SENTIMENT_STATE_MACHINE_ARN`,
    },
  );
}

/** A Step Functions client as the SDK configures itself (region, credentials, AWS_ENDPOINT_URL_SFN). */
export function createSfnClient(): SFNClient {
  return new SFNClient({ maxAttempts: 5 });
}

/** Starts a job; checks first that the input exists, so a typo fails here and not in the Map Run. */
export async function startJob(
  sfn: SFNClient,
  s3: S3Client,
  stateMachineArn: string,
  uri: string,
  options: { textColumn?: string; keep?: string; name?: string } = {},
): Promise<{ executionArn: string; input: JobInput }> {
  // The prefix and the extension first, before any call (a folder's format comes from its objects).
  const { bucket, input } = jobFor(uri, { ...options, format: 'csv' });
  const { key } = input;
  if (key.endsWith('/')) {
    // A folder: it must hold objects, all of one format.
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1000 }));
    const keys = (listed.Contents ?? []).map((o) => o.Key ?? '').filter((k) => !k.endsWith('/'));
    if (keys.length === 0) throw new BatchJobError('batch_input_missing', `${uri} holds no objects`);
    const formats = new Set(keys.map(formatOf));
    if (formats.size !== 1 || formats.has(null))
      throw new BatchJobError('batch_input_format', `${uri} must hold only .csv or only .jsonl objects`, {
        hint: 'a folder job reads every object under it with one reader; start one job per format',
      });
    input.format = [...formats][0] as 'csv' | 'jsonl';
  } else
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).catch((error: { name?: string }) => {
      if (error.name === 'NotFound' || error.name === 'NoSuchKey')
        throw new BatchJobError('batch_input_missing', `${uri} does not exist`, { cause: error });
      throw error;
    });

  const started = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn,
      input: JSON.stringify(input),
      ...(options.name ? { name: options.name } : {}),
    }),
  );
  if (!started.executionArn)
    throw new BatchJobError('batch_start_failed', 'Step Functions returned no execution ARN');
  return { executionArn: started.executionArn, input };
}

export interface JobStatus {
  status: string;
  items: { total: number; succeeded: number; failed: number; pending: number; running: number } | null;
  /** The results manifest, once the Map Run has written it. */
  manifest: { bucket: string; key: string } | null;
  error?: string;
}

/** Where a job stands: its execution's status, its Map Run's item counts and its results manifest. */
export async function jobStatus(sfn: SFNClient, executionArn: string): Promise<JobStatus> {
  const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  const runs = await sfn.send(new ListMapRunsCommand({ executionArn }));
  const run = runs.mapRuns?.[0];
  let items: JobStatus['items'] = null;
  if (run?.mapRunArn) {
    const counts = (await sfn.send(new DescribeMapRunCommand({ mapRunArn: run.mapRunArn }))).itemCounts;
    if (counts)
      items = {
        total: counts.total ?? 0,
        succeeded: counts.succeeded ?? 0,
        failed: (counts.failed ?? 0) + (counts.timedOut ?? 0) + (counts.aborted ?? 0),
        pending: counts.pending ?? 0,
        running: counts.running ?? 0,
      };
  }
  let manifest: JobStatus['manifest'] = null;
  if (execution.output) {
    const details = (
      JSON.parse(execution.output) as { map?: { ResultWriterDetails?: { Bucket?: string; Key?: string } } }
    ).map?.ResultWriterDetails;
    if (details?.Bucket && details.Key) manifest = { bucket: details.Bucket, key: details.Key };
  }
  return {
    status: execution.status ?? 'UNKNOWN',
    items,
    manifest,
    ...(execution.error ? { error: `${execution.error}: ${execution.cause ?? ''}`.trim() } : {}),
  };
}

interface ResultManifest {
  ResultFiles?: Record<string, Array<{ Key: string; Size?: number }>>;
}

/**
 * The scored rows of a finished job, read from the result files its Map Run wrote (JSON Lines, one
 * row per review), with how many batches failed and where their report is.
 */
export async function* jobResults(
  s3: S3Client,
  manifest: { bucket: string; key: string },
  onFailed: (batches: number, where: string[]) => void,
): AsyncGenerator<Record<string, unknown>> {
  const read = async (key: string) => {
    const object = await s3.send(new GetObjectCommand({ Bucket: manifest.bucket, Key: key }));
    return (await object.Body?.transformToString('utf-8')) ?? '';
  };
  const files = (JSON.parse(await read(manifest.key)) as ResultManifest).ResultFiles ?? {};
  const failed = files.FAILED ?? [];
  if (failed.length > 0) {
    const where = failed.map((f) => `s3://${manifest.bucket}/${f.Key}`);
    let batches = 0;
    for (const file of failed)
      batches += (await read(file.Key)).split('\n').filter((l) => l.trim() !== '').length;
    onFailed(batches, where);
  }
  for (const file of files.SUCCEEDED ?? []) {
    const text = await read(file.Key);
    for (const [index, line] of text.split('\n').entries()) {
      if (line.trim() === '') continue;
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch (error) {
        throw new BatchJobError(
          'batch_results_invalid',
          `s3://${manifest.bucket}/${file.Key}:${index + 1}: not JSON`,
          {
            cause: error,
          },
        );
      }
      if (typeof row !== 'object' || row === null || Array.isArray(row)) continue;
      // A folder job's line is one object's run: its own results manifest, read in turn.
      const inner = (row as { map?: { ResultWriterDetails?: { Bucket?: string; Key?: string } } }).map
        ?.ResultWriterDetails;
      if (inner?.Bucket && inner.Key)
        yield* jobResults(s3, { bucket: inner.Bucket, key: inner.Key }, onFailed);
      else yield row as Record<string, unknown>;
    }
  }
}
