import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreItems } from '../../src/batch/items.js';
import { findStateMachine } from '../../src/batch/jobs.js';
import { DEFAULT_ABSTENTION } from '../../src/model/prediction.js';
import { createS3Client } from '../../src/store/s3-sdk.js';
import { tinyLoaded } from '../api/helpers.js';
import { run } from '../cli/run.js';
import { setEnv, startS3, type TestS3 } from '../support/s3-server.js';

const BUCKET = 'jobs-bucket';
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:BatchJobs';
/** `sentiment batch start --input <input>` against the stub state machine. */
const startJob = (input: string) => run('batch', 'start', '--input', input, '--state-machine', MACHINE);
const EXECUTION = `${MACHINE.replace(':stateMachine:', ':execution:')}:job-1`;
const MAP_RUN = 'arn:aws:states:us-east-1:123456789012:mapRun:BatchJobs/job-1:run-1';
const RESULTS = 'batch/out/run-1';

/** A stand-in for the Step Functions endpoint: records each call's target and body, answers canned ones. */
class StubStepFunctions {
  calls: Array<{ target: string; body: Record<string, unknown> }> = [];
  server: Server;
  execution: Record<string, unknown> = { status: 'RUNNING' };
  constructor() {
    this.server = createServer(async (request: IncomingMessage, response) => {
      let text = '';
      for await (const chunk of request) text += chunk;
      const target = String(request.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
      this.calls.push({ target, body: JSON.parse(text || '{}') });
      const answers: Record<string, unknown> = {
        StartExecution: { executionArn: EXECUTION, startDate: 1_790_000_000 },
        DescribeExecution: {
          executionArn: EXECUTION,
          stateMachineArn: MACHINE,
          startDate: 1_790_000_000,
          ...this.execution,
        },
        ListMapRuns: {
          mapRuns: [
            {
              executionArn: EXECUTION,
              mapRunArn: MAP_RUN,
              stateMachineArn: MACHINE,
              startDate: 1_790_000_000,
            },
          ],
        },
        DescribeMapRun: {
          mapRunArn: MAP_RUN,
          executionArn: EXECUTION,
          status: 'SUCCEEDED',
          startDate: 1_790_000_000,
          maxConcurrency: 100,
          toleratedFailurePercentage: 5,
          toleratedFailureCount: 0,
          itemCounts: {
            pending: 0,
            running: 0,
            succeeded: 4,
            failed: 1,
            timedOut: 0,
            aborted: 0,
            total: 5,
            resultsWritten: 5,
          },
          executionCounts: {
            pending: 0,
            running: 0,
            succeeded: 2,
            failed: 1,
            timedOut: 0,
            aborted: 0,
            total: 3,
            resultsWritten: 3,
          },
        },
      };
      const answer = answers[target];
      response.writeHead(answer ? 200 : 400, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify(answer ?? { __type: 'UnknownOperationException' }));
    });
  }
  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const { port } = this.server.address() as { port: number };
    return `http://127.0.0.1:${port}`;
  }
}

describe('sentiment batch (the S3 test server for data, a stub endpoint for Step Functions)', () => {
  let s3: TestS3;
  let restore: () => void;
  const sfn = new StubStepFunctions();
  const dir = mkdtempSync(join(tmpdir(), 'batch-cli-'));
  const rows = [
    { id: 'a1', review: 'A great and wonderful film.' },
    { id: 'a2', review: 'Awful, boring, a waste of time.' },
    { id: 'a3', review: '' },
    { id: 'a4', review: 'great acting' },
    { id: 'a5', review: 'this row was in the batch that failed' },
  ];

  beforeAll(async () => {
    s3 = await startS3([BUCKET]);
    restore = setEnv({
      ...s3.env,
      AWS_ENDPOINT_URL_SFN: await sfn.start(),
      SENTIMENT_STATE_MACHINE_ARN: undefined,
    });
    const client = createS3Client();
    const put = (key: string, body: string) =>
      client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    await put('batch/in/reviews.csv', `id,review\n${rows.map((r) => `${r.id},"${r.review}"`).join('\n')}\n`);
    // What the Map Run writes: the batch Lambda's rows as JSON Lines (two batches), a failed batch, a manifest.
    const model = tinyLoaded().model;
    const batch = (items: typeof rows) =>
      scoreItems(
        model,
        { Items: items, BatchInput: { textColumn: null, keep: ['id'] } },
        DEFAULT_ABSTENTION,
        100_000,
      )
        .map((row) => JSON.stringify(row))
        .join('\n');
    await put(`${RESULTS}/SUCCEEDED_0.jsonl`, `${batch(rows.slice(0, 2))}\n${batch(rows.slice(2, 4))}\n`);
    await put(
      `${RESULTS}/FAILED_0.jsonl`,
      `${JSON.stringify({ Error: 'Lambda.Unknown', Cause: 'timed out' })}\n`,
    );
    await put(
      `${RESULTS}/manifest.json`,
      JSON.stringify({
        DestinationBucket: BUCKET,
        MapRunArn: MAP_RUN,
        ResultFiles: {
          FAILED: [{ Key: `${RESULTS}/FAILED_0.jsonl`, Size: 60 }],
          PENDING: [],
          SUCCEEDED: [{ Key: `${RESULTS}/SUCCEEDED_0.jsonl`, Size: 900 }],
        },
      }),
    );
  });
  afterAll(async () => {
    restore();
    sfn.server.close();
    await s3.close();
  });

  it('start: checks the input exists, then starts the state machine with the job and prints the execution ARN', async () => {
    const result = await run(
      'batch',
      'start',
      '--input',
      `s3://${BUCKET}/batch/in/reviews.csv`,
      '--state-machine',
      MACHINE,
      '--keep',
      'id',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(EXECUTION);
    const call = sfn.calls.find((c) => c.target === 'StartExecution');
    expect(call?.body.stateMachineArn).toBe(MACHINE);
    expect(JSON.parse(call?.body.input as string)).toEqual({
      key: 'batch/in/reviews.csv',
      format: 'csv',
      textColumn: null,
      keep: 'id',
    });
  });

  it('start: refuses an input outside batch/in/, a missing one and an unknown format, before starting anything', async () => {
    const before = sfn.calls.length;
    const outside = await startJob(`s3://${BUCKET}/elsewhere/reviews.csv`);
    expect([outside.code, outside.stderr]).toEqual([
      1,
      expect.stringContaining('is not under s3://jobs-bucket/batch/in/'),
    ]);
    const missing = await startJob(`s3://${BUCKET}/batch/in/nope.jsonl`);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining('does not exist')]);
    const gz = await startJob(`s3://${BUCKET}/batch/in/reviews.csv.gz`);
    expect(gz.stderr).toContain('neither .csv nor .jsonl');
    expect(sfn.calls.length).toBe(before);
  });

  it('finds the state machine in the stack outputs that npm run deploy writes, or says how to give it', () => {
    const outputs = join(dir, 'cdk-outputs.json');
    writeFileSync(
      outputs,
      JSON.stringify({ ServerlessSentiment: { ApiUrl: 'https://x', BatchStateMachineArn: MACHINE } }),
    );
    expect(findStateMachine(undefined, outputs)).toBe(MACHINE);
    expect(() => findStateMachine(undefined, join(dir, 'none.json'))).toThrow(/no batch state machine/);
  });

  it('status: shows the execution and the Map Run’s item counts, then where the results are', async () => {
    sfn.execution = {
      status: 'SUCCEEDED',
      output: JSON.stringify({
        key: 'batch/in/reviews.csv',
        map: { MapRunArn: MAP_RUN, ResultWriterDetails: { Bucket: BUCKET, Key: `${RESULTS}/manifest.json` } },
      }),
    };
    const result = await run('batch', 'status', EXECUTION);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('SUCCEEDED: 4 of 5 items done, 1 failed, 0 running, 0 pending');
    expect(result.stdout).toContain(`results: s3://${BUCKET}/${RESULTS}/manifest.json`);
    expect(sfn.calls.filter((c) => c.target === 'DescribeMapRun').at(-1)?.body).toEqual({
      mapRunArn: MAP_RUN,
    });
  });

  it('results: joins the result files into one CSV with the kept id and the prediction, warning of the failed batch', async () => {
    const out = join(dir, 'scored.csv');
    const result = await run('batch', 'results', EXECUTION, '--out', out);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      `1 batch(es) failed; their reasons are in s3://${BUCKET}/${RESULTS}/FAILED_0.jsonl`,
    );
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('id,sentiment,confidence,probabilityPositive,coverage,abstained,error');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(lines[1]).toMatch(/^a1,positive,0\.\d+,/);
    expect(lines[3]).toBe('a3,,,,,,"""review"" is empty"');
    const jsonl = join(dir, 'scored.jsonl');
    expect((await run('batch', 'results', EXECUTION, '--out', jsonl)).code).toBe(0);
    expect(JSON.parse(readFileSync(jsonl, 'utf8').split('\n')[1])).toMatchObject({
      id: 'a2',
      sentiment: 'negative',
    });
  });

  it('a folder: starts one job over every object under it, refusing mixed formats, and joins every object’s results', async () => {
    const client = createS3Client();
    const put = (key: string, body: string) =>
      client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    await put('batch/in/week/mon.jsonl', `${JSON.stringify({ id: 'm1', text: 'great film' })}\n`);
    await put('batch/in/week/tue.jsonl', `${JSON.stringify({ id: 't1', text: 'awful film' })}\n`);
    const started = await startJob(`s3://${BUCKET}/batch/in/week/`);
    expect(started.code, started.stderr).toBe(0);
    const call = sfn.calls.filter((c) => c.target === 'StartExecution').at(-1);
    expect(JSON.parse(call?.body.input as string)).toMatchObject({ key: 'batch/in/week/', format: 'jsonl' });
    await put('batch/in/mixed/a.csv', 'id,text\n1,good\n');
    await put('batch/in/mixed/b.jsonl', '{"text": "bad"}\n');
    const mixed = await startJob(`s3://${BUCKET}/batch/in/mixed/`);
    expect([mixed.code, mixed.stderr]).toEqual([
      1,
      expect.stringContaining('must hold only .csv or only .jsonl objects'),
    ]);
    const empty = await startJob(`s3://${BUCKET}/batch/in/nothing/`);
    expect(empty.stderr).toContain('holds no objects');

    // What the folder map writes: one line per object, each with that object's own manifest.
    const model = tinyLoaded().model;
    for (const [day, rows] of [
      ['mon', [{ id: 'm1', text: 'great film' }]],
      ['tue', [{ id: 't1', text: 'awful film' }]],
    ] as const) {
      const scored = scoreItems(
        model,
        { Items: [...rows], BatchInput: { keep: ['id'] } },
        DEFAULT_ABSTENTION,
        100_000,
      );
      await put(`batch/out/${day}/SUCCEEDED_0.jsonl`, `${scored.map((r) => JSON.stringify(r)).join('\n')}\n`);
      await put(
        `batch/out/${day}/manifest.json`,
        JSON.stringify({ ResultFiles: { SUCCEEDED: [{ Key: `batch/out/${day}/SUCCEEDED_0.jsonl` }] } }),
      );
    }
    const lines = ['mon', 'tue'].map((day) =>
      JSON.stringify({
        key: `batch/in/week/${day}.jsonl`,
        map: { ResultWriterDetails: { Bucket: BUCKET, Key: `batch/out/${day}/manifest.json` } },
      }),
    );
    await put('batch/out/folder/SUCCEEDED_0.jsonl', `${lines.join('\n')}\n`);
    await put(
      'batch/out/folder/manifest.json',
      JSON.stringify({ ResultFiles: { SUCCEEDED: [{ Key: 'batch/out/folder/SUCCEEDED_0.jsonl' }] } }),
    );
    sfn.execution = {
      status: 'SUCCEEDED',
      output: JSON.stringify({
        map: { ResultWriterDetails: { Bucket: BUCKET, Key: 'batch/out/folder/manifest.json' } },
      }),
    };
    const out = join(dir, 'week.jsonl');
    const result = await run('batch', 'results', EXECUTION, '--out', out);
    expect(result.code, result.stderr).toBe(0);
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.id, r.sentiment])).toEqual([
      ['m1', 'positive'],
      ['t1', 'negative'],
    ]);
  });

  it('results: refuses a job that has written nothing yet', async () => {
    sfn.execution = { status: 'RUNNING' };
    const result = await run('batch', 'results', EXECUTION, '--out', join(dir, 'early.csv'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the job is RUNNING and has written no results yet');
  });
});
