/**
 * Lambda cold start and warm latency: the built bundle (dist/lambda/index.mjs) imported in a fresh
 * process, model loaded from a file and from an S3-protocol server, first HTTP API event answered,
 * then 200 warm invocations. Medians over runs. Writes bench/results/cold-start.md.
 *
 * Run: npm run build:lambda && npx tsx bench/cold-start.ts <model.sntm> [runs=7]
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { S3ModelStore } from '../src/store/s3-store.js';
import { startS3 } from '../test/support/s3-server.js';
import { gitCommit } from './meta.js';

const [modelPath, runsArg] = process.argv.slice(2);
if (!modelPath) throw new Error('usage: tsx bench/cold-start.ts <model.sntm> [runs]');
const runs = Number(runsArg ?? 7);
const root = new URL('..', import.meta.url).pathname;
const node = process.env.NODE_BIN ?? process.execPath;

interface Result {
  node: string;
  importMs: number;
  firstResponseMs: number;
  warmP50Ms: number;
  warmP99Ms: number;
  rssMb: number;
}

async function measure(env: Record<string, string>): Promise<Result> {
  const out = join(mkdtempSync(join(tmpdir(), 'cold-')), 'result.json');
  await promisify(execFile)(
    node,
    [
      join(root, 'test/support/invoke-bundle.mjs'),
      join(root, 'dist/lambda/index.mjs'),
      join(root, 'test/fixtures/events/http-api-v2.json'),
      out,
      '200',
    ],
    { env: { PATH: process.env.PATH ?? '', POWERTOOLS_LOG_LEVEL: 'ERROR', ...env }, maxBuffer: 1 << 26 },
  );
  return JSON.parse(readFileSync(out, 'utf8'));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const s3 = await startS3(['models']);
Object.assign(process.env, s3.env);
await new S3ModelStore().write('s3://models/bench/model.sntm', readFileSync(modelPath));
const rows: string[] = [];
for (const [source, env] of [
  ['file', { MODEL_URI: modelPath }],
  ['S3 (s3rver on loopback)', { ...s3.env, MODEL_URI: 's3://models/bench/model.sntm' }],
] as const) {
  const results: Result[] = [];
  for (let i = 0; i < runs; i++) results.push(await measure(env));
  rows.push(
    `| ${source} | ${median(results.map((r) => r.importMs)).toFixed(0)} | ${median(results.map((r) => r.firstResponseMs)).toFixed(0)} | ${median(results.map((r) => r.warmP50Ms)).toFixed(3)} | ${median(results.map((r) => r.warmP99Ms)).toFixed(3)} | ${median(results.map((r) => r.rssMb)).toFixed(0)} |`,
  );
}
await s3.close();
const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
const text = [
  `Measured ${new Date().toISOString().slice(0, 10)} at commit ${gitCommit().slice(0, 12)}: the Lambda bundle on Node ${version}, model ${(readFileSync(modelPath).length / 1e6).toFixed(2)} MB, median of ${runs} fresh processes (the bundle imported and invoked directly, without the runtime client).`,
  '',
  '| model from | import ms | cold start to first response ms | warm p50 ms | warm p99 ms | RSS MB |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows,
  '',
].join('\n');
console.log(text);
writeFileSync(new URL('./results/cold-start.md', import.meta.url), text);
