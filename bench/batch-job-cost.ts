/**
 * What a batch job on AWS costs per million reviews, from a measured figure: the CPU time of the
 * batch Lambda's work (scoreItems) on batches of the IMDb test reviews, here, one thread, median of
 * the batches. Lambda gives a function CPU in proportion to memory (1,769 MB = one vCPU), so a batch
 * at `memoryMb` is assumed to take (CPU time here) × 1769 / memoryMb: an estimate, stated as such,
 * since no AWS account was used. Prices: us-east-1, November 2026.
 *
 * Run: IMDB_DIR=<folder> npx tsx bench/batch-job-cost.ts <model.sntm> [--batch 500] [--memory 512]
 * Writes bench/results/batch-job-cost.json and .md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { scoreItems } from '../src/batch/items.js';
import { readDataset } from '../src/data/read.js';
import { decodeModel } from '../src/model/artifact.js';
import { DEFAULT_ABSTENTION } from '../src/model/prediction.js';
import { gitCommit } from './meta.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    batch: { type: 'string', default: '500' },
    bytes: { type: 'string', default: String(240 * 1024) },
    memory: { type: 'string', default: '512' },
  },
});
const [modelFile] = positionals;
const imdb = process.env.IMDB_DIR;
if (!modelFile || !imdb) throw new Error('usage: IMDB_DIR=<folder> bench/batch-job-cost.ts <model.sntm>');
const maxItems = Number(values.batch);
const maxBytes = Number(values.bytes);
const memoryMb = Number(values.memory);
const model = decodeModel(new Uint8Array(readFileSync(modelFile)));
const test = await readDataset(join(imdb, 'test.csv.gz'));
const items = test.texts.map((review, i) => ({ id: String(i), review }));
const chars = test.texts.reduce((s, t) => s + t.length, 0) / test.texts.length;
// The ItemBatcher closes a batch at maxItems or maxBytes of items, whichever comes first.
const itemBytes = items.reduce((s, item) => s + Buffer.byteLength(JSON.stringify(item)), 0) / items.length;
const batchSize = Math.max(1, Math.min(maxItems, Math.floor(maxBytes / itemBytes)));
const meanUnits =
  test.texts.reduce((s, t) => s + Math.max(3, Math.ceil(t.length / 100)), 0) / test.texts.length;

// Warm up, then time every batch of the test set (CPU time, user + system).
scoreItems(model, { Items: items.slice(0, batchSize) }, DEFAULT_ABSTENTION, 100_000);
const perBatch: number[] = [];
for (let start = 0; start + batchSize <= items.length; start += batchSize) {
  const before = process.cpuUsage();
  const rows = scoreItems(
    model,
    { Items: items.slice(start, start + batchSize), BatchInput: { keep: ['id'] } },
    DEFAULT_ABSTENTION,
    100_000,
  );
  JSON.stringify(rows); // the Lambda runtime serializes the answer
  const used = process.cpuUsage(before);
  perBatch.push((used.user + used.system) / 1000);
}
perBatch.sort((a, b) => a - b);
const median = perBatch[Math.floor(perBatch.length / 2)];
const lambdaMs = (median * 1769) / memoryMb;
const million = 1_000_000;
const batches = Math.ceil(million / batchSize);
const price = {
  transition: 0.025 / 1000,
  lambdaRequest: 0.2 / million,
  gbSecondArm: 0.0000133334,
  s3Put: 0.005 / 1000,
  s3Get: 0.0004 / 1000,
  comprehendUnit: 0.0001,
};
// A child execution (Standard) enters its one Task state: about 2 transitions, plus retries.
const rows = [
  [
    'Step Functions state transitions',
    `${batches.toLocaleString('en-US')} child executions × ~2 transitions × $0.025 per 1,000`,
    batches * 2 * price.transition,
  ],
  [
    'Lambda requests',
    `${batches.toLocaleString('en-US')} batches × $0.20 per 1M`,
    batches * price.lambdaRequest,
  ],
  [
    `Lambda compute, arm64, ${memoryMb} MB`,
    `${batches.toLocaleString('en-US')} × ${Math.round(lambdaMs)} ms × ${memoryMb / 1024} GB × $0.0000133334 per GB-s`,
    batches * (lambdaMs / 1000) * (memoryMb / 1024) * price.gbSecondArm,
  ],
  [
    'S3 requests',
    'ItemReader GETs (ranged) and ResultWriter PUTs: hundreds',
    1000 * (price.s3Put + price.s3Get),
  ],
] as Array<[string, string, number]>;
const total = rows.reduce((s, r) => s + r[2], 0);
const comprehend = million * meanUnits * price.comprehendUnit;
const result = {
  benchmark: 'batch-job-cost',
  commit: gitCommit(),
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model,
  batchSize,
  maxItems,
  maxBytes,
  memoryMb,
  meanReviewChars: Math.round(chars),
  cpuMsPerBatch: { min: perBatch[0], median, max: perBatch[perBatch.length - 1] },
  estimatedLambdaMsPerBatch: Math.round(lambdaMs),
  rows: rows.map(([item, basis, usd]) => ({ item, basis, usd })),
  totalUsd: total,
  comprehendUsd: comprehend,
};
writeFileSync(
  new URL('./results/batch-job-cost.json', import.meta.url),
  `${JSON.stringify(result, null, 2)}\n`,
);
const usd = (x: number) => (x >= 1 ? `$${x.toFixed(2)}` : `$${x.toFixed(4)}`);
writeFileSync(
  new URL('./results/batch-job-cost.md', import.meta.url),
  [
    '# A batch job on AWS, per million reviews',
    '',
    `Commit ${result.commit.slice(0, 12)}, ${result.date.slice(0, 10)}, Node ${result.node}, ${result.cpu}. Batches of ${batchSize} IMDb test reviews (${result.meanReviewChars} characters on average; the ItemBatcher's ${maxBytes}-byte limit closes a batch before ${maxItems} items): ${median.toFixed(1)} ms of CPU each here (min ${perBatch[0].toFixed(1)}, max ${perBatch[perBatch.length - 1].toFixed(1)}, ${perBatch.length} batches), so about ${Math.round(lambdaMs)} ms at ${memoryMb} MB on Lambda (CPU in proportion to memory; an estimate: no AWS account was used). Regenerate: \`npx tsx bench/batch-job-cost.ts <model.sntm>\`.`,
    '',
    '| item | basis | per 1M reviews |',
    '| --- | --- | ---: |',
    ...rows.map(([item, basis, cost]) => `| ${item} | ${basis} | ${usd(cost)} |`),
    `| **total** | | **${usd(total)}** |`,
    `| Amazon Comprehend StartSentimentDetectionJob | $0.0001 per 100-character unit, minimum 3: ${meanUnits.toFixed(1)} units a review on average | **${usd(comprehend)}** |`,
    '',
  ].join('\n'),
);
console.log(JSON.stringify({ median, lambdaMs, total, comprehend }));
