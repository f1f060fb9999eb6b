import { parseArgs } from 'node:util';
import { csvCell } from '../batch/score-file.js';
import { createAtomicWriteStream } from '../store/atomic-write.js';
import { parseOrExplain } from './args.js';
import { UsageError } from './errors.js';

export const BATCH_HELP = `sentiment batch start --input s3://<bucket>/batch/in/<file>.csv|.jsonl|<folder>/ [--state-machine <arn>]
                      [--text-column <name>] [--keep id,product] [--name <execution name>]
sentiment batch status <execution-arn>
sentiment batch results <execution-arn> --out <file>.csv|.jsonl

Scores a file of any size on AWS with the stack's Step Functions Distributed Map: the rows are read
from S3 in batches, each batch scored by the batch Lambda, the scored rows written as JSON Lines under
batch/out/. The input must be under batch/in/ of the stack's bucket (CSV with a header row, or JSON
Lines), or be a folder there (ending in "/") of objects all in one of those formats; the text column
is detected as "train" does. The state machine is --state-machine, else
SENTIMENT_STATE_MACHINE_ARN, else the BatchStateMachineArn output in cdk-outputs.json (written by
"npm run deploy"). start prints the execution ARN; status shows the items done, failed and left, and
where the results are; results joins the result files into one CSV or JSON Lines file.`;

export async function batchCommand(
  argv: string[],
  print: (line: string) => void,
  log: (line: string) => void,
) {
  const [sub, ...rest] = argv;
  // The AWS SDK clients load only for this command, not for every run of the CLI.
  const { createSfnClient, findStateMachine, jobResults, jobStatus, startJob } = await import(
    '../batch/jobs.js'
  );
  const { createS3Client } = await import('../store/s3-sdk.js');
  const { values, positionals } = parseOrExplain('batch', () =>
    parseArgs({
      args: rest,
      strict: true,
      allowPositionals: true,
      options: {
        input: { type: 'string' },
        'state-machine': { type: 'string' },
        'text-column': { type: 'string' },
        keep: { type: 'string' },
        name: { type: 'string' },
        out: { type: 'string' },
      },
    }),
  );
  if (sub === 'start') {
    if (!values.input) throw new UsageError('batch start: --input s3://<bucket>/batch/in/<file> is required');
    const stateMachine = findStateMachine(values['state-machine']);
    const { executionArn, input } = await startJob(
      createSfnClient(),
      createS3Client(),
      stateMachine,
      values.input,
      {
        textColumn: values['text-column'],
        keep: values.keep,
        name: values.name,
      },
    );
    log(
      `started: ${input.format.toUpperCase()} ${values.input}; follow it with "sentiment batch status <arn>"`,
    );
    print(executionArn);
    return;
  }
  const [arn] = positionals;
  if ((sub === 'status' || sub === 'results') && !arn)
    throw new UsageError(`batch ${sub}: the execution ARN (from "sentiment batch start") is required`);
  if (sub === 'status') {
    const status = await jobStatus(createSfnClient(), arn);
    const items = status.items;
    const progress = items
      ? `${items.succeeded.toLocaleString('en-US')} of ${items.total.toLocaleString('en-US')} items done, ${items.failed} failed, ${items.running} running, ${items.pending} pending`
      : 'no Map Run yet';
    print(`${status.status}: ${progress}`);
    if (status.error) print(`error: ${status.error}`);
    if (status.manifest) print(`results: s3://${status.manifest.bucket}/${status.manifest.key}`);
    return;
  }
  if (sub === 'results') {
    if (!values.out) throw new UsageError('batch results: --out <file>.csv or .jsonl is required');
    const format = /\.jsonl$/i.test(values.out) ? 'jsonl' : /\.csv$/i.test(values.out) ? 'csv' : null;
    if (format === null) throw new UsageError(`batch results: --out ${values.out}: write .csv or .jsonl`);
    const status = await jobStatus(createSfnClient(), arn);
    if (!status.manifest)
      throw new UsageError(`batch results: the job is ${status.status} and has written no results yet`, {
        hint: 'wait for "sentiment batch status" to say SUCCEEDED',
      });
    const rows = await writeRows(
      jobResults(createS3Client(), status.manifest, (batches, where) =>
        log(`warning: ${batches} batch(es) failed; their reasons are in ${where.join(', ')}`),
      ),
      values.out,
      format,
    );
    log(`wrote ${rows.toLocaleString('en-US')} rows to ${values.out}`);
    return;
  }
  throw new UsageError(`batch: unknown subcommand "${sub ?? ''}": use start, status or results`);
}

/** Streams rows to a CSV (columns of the first row) or JSON Lines file, renamed into place when complete. */
async function writeRows(
  rows: AsyncIterable<Record<string, unknown>>,
  path: string,
  format: 'csv' | 'jsonl',
) {
  const out = await createAtomicWriteStream(path);
  let columns: string[] | null = null;
  let count = 0;
  try {
    for await (const row of rows) {
      if (format === 'jsonl') await out.write(`${JSON.stringify(row)}\n`);
      else {
        if (columns === null) {
          columns = Object.keys(row);
          await out.write(`${columns.map(csvCell).join(',')}\n`);
        }
        await out.write(`${columns.map((c) => csvCell(row[c])).join(',')}\n`);
      }
      count++;
    }
    await out.commit();
    return count;
  } catch (error) {
    await out.abort();
    throw error;
  }
}
