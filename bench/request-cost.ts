/**
 * The most expensive requests the API's limits allow, in CPU time, through the whole app in-process
 * (body read, JSON parse, validation, prediction, explanation, JSON answer): the cost budget of the
 * hardening issue. Shapes tried, each at the limits: many reviews of distinct known bigrams with
 * `explain` and the largest `top`; short tokens (most n-grams per character); one review at the
 * per-review limit; a review of U+FDFA (which NFKD expands 18-fold) on a copy of the model with
 * `strip_accents=unicode`; and, to show what the limits refuse, a request one character over them.
 * CPU time per request (process.cpuUsage, user + system) over --runs; min/median/max.
 *
 * Run: npm run build && npx tsx bench/request-cost.ts <model.sntm> [--runs 15]
 * Writes bench/results/request-cost.json and .md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { readConfig } from '../src/api/config.js';
import { createService } from '../src/api/service.js';
import { Telemetry } from '../src/api/telemetry.js';
import { decodeModel, encodeModel } from '../src/model/artifact.js';
import { SentimentModel } from '../src/model/sentiment-model.js';
import { FileModelStore } from '../src/store/file-store.js';
import { gitCommit, spread } from './meta.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '15' } },
});
const [modelFile] = positionals;
if (!modelFile) throw new Error('usage: bench/request-cost.ts <model.sntm> [--runs n]');
const runs = Number(values.runs);

const config = readConfig({ MODEL_URI: modelFile });
const { maxBatchSize, maxReviewChars, maxRequestChars } = config;
const bytes = new Uint8Array(readFileSync(modelFile));
const model = decodeModel(bytes);

/** An app serving `m`, with telemetry that writes nowhere. */
async function appFor(m: SentimentModel) {
  const dir = (await import('node:fs')).mkdtempSync('/tmp/request-cost-');
  const file = `${dir}/model.sntm`;
  writeFileSync(file, encodeModel(m));
  const telemetry = new Telemetry({ metrics: false, logLevel: 'SILENT' });
  const { app } = createService({ ...config, modelUri: file }, telemetry, new FileModelStore());
  return app;
}

const terms = model.parameters.vocabulary.terms();
const bigrams = terms.filter((t) => t.includes(' '));
/** `chars` characters of distinct known bigrams, joined. */
function knownText(chars: number, offset: number): string {
  let out = '';
  for (let i = offset; out.length < chars; i++) out += `${bigrams[i % bigrams.length]} `;
  return out.slice(0, chars);
}
const shortTokens = (chars: number) => 'ab '.repeat(Math.ceil(chars / 3)).slice(0, chars);

/** Splits `total` characters over as few reviews as the per-review limit allows (within the batch limit). */
function batchOf(total: number, make: (chars: number, i: number) => string): string[] {
  const count = Math.min(maxBatchSize, Math.ceil(total / maxReviewChars));
  const each = Math.floor(total / count);
  return Array.from({ length: count }, (_, i) => make(i === 0 ? total - each * (count - 1) : each, i));
}

const accentModel = new SentimentModel(
  { ...model.parameters, analyzer: { ...model.parameters.analyzer, stripAccents: 'unicode' } },
  model.metadata,
);

const shapes: Array<{ name: string; model: SentimentModel; body: unknown }> = [
  {
    name: `distinct known bigrams, ${maxRequestChars} chars, explain top 50`,
    model,
    body: { reviews: batchOf(maxRequestChars, (c, i) => knownText(c, i * 7919)), explain: true, top: 50 },
  },
  {
    name: `distinct known bigrams, ${maxRequestChars} chars, ${maxBatchSize} reviews, explain top 50`,
    model,
    body: {
      reviews: Array.from({ length: maxBatchSize }, (_, i) =>
        knownText(Math.floor(maxRequestChars / maxBatchSize), i * 7919),
      ),
      explain: true,
      top: 50,
    },
  },
  {
    name: `short tokens ("ab ab ..."), ${maxRequestChars} chars, explain top 50`,
    model,
    body: { reviews: batchOf(maxRequestChars, shortTokens), explain: true, top: 50 },
  },
  {
    name: `one review of ${Math.min(maxReviewChars, maxRequestChars)} chars, no explain`,
    model,
    body: { review: knownText(Math.min(maxReviewChars, maxRequestChars), 0) },
  },
  {
    // NFKD makes each U+FDFA 18 characters: the most that fits the budget once normalized.
    name: `U+FDFA × ${Math.floor(maxRequestChars / 18)} (${maxRequestChars} once normalized), strip_accents=unicode model, explain top 50`,
    model: accentModel,
    body: {
      reviews: batchOf(Math.floor(maxRequestChars / 18), (c) => '\uFDFA'.repeat(c)),
      explain: true,
      top: 50,
    },
  },
];

/** A request sender for `m`'s app with `body`, the first (model-loading) call already made. */
async function senderFor(m: SentimentModel, body: unknown) {
  const app = await appFor(m);
  const payload = JSON.stringify(body);
  const send = () =>
    app.request('/predict', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: payload,
    });
  return { send, first: await send(), bytes: Buffer.byteLength(payload) };
}
const round = (x: number) => Math.round(x * 100) / 100;

const rows = [];
for (const shape of shapes) {
  const { send, first, bytes: bodyBytes } = await senderFor(shape.model, shape.body); // the first loads the model; not timed
  if (first.status !== 200) throw new Error(`${shape.name}: status ${first.status} ${await first.text()}`);
  const cpuMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const before = process.cpuUsage();
    const response = await send();
    await response.arrayBuffer();
    const used = process.cpuUsage(before);
    cpuMs.push((used.user + used.system) / 1000);
  }
  const s = spread(cpuMs);
  rows.push({
    shape: shape.name,
    bodyBytes,
    cpuMs: { min: round(s.min), median: round(s.median), max: round(s.max) },
  });
  console.log(`${shape.name}: median ${round(s.median)} ms CPU (min ${round(s.min)}, max ${round(s.max)})`);
}

// Refused requests: how much work is done before the 413.
const refusedShapes = [
  {
    name: 'one character over the budget',
    model,
    body: { reviews: batchOf(maxRequestChars + 1, shortTokens) },
  },
  {
    name: `U+FDFA × ${maxRequestChars} (18× the budget once normalized), strip_accents=unicode model`,
    model: accentModel,
    body: { reviews: batchOf(maxRequestChars, (c) => '\uFDFA'.repeat(c)) },
  },
];
const refusals = [];
for (const shape of refusedShapes) {
  const { send, first } = await senderFor(shape.model, shape.body);
  await first.arrayBuffer();
  const cpuMs: number[] = [];
  let answer: { status: number; code?: string } = { status: 0 };
  for (let i = 0; i < runs; i++) {
    const before = process.cpuUsage();
    const response = await send();
    const body = (await response.json()) as { error?: { code?: string } };
    const used = process.cpuUsage(before);
    cpuMs.push((used.user + used.system) / 1000);
    answer = { status: response.status, code: body.error?.code };
  }
  const s = spread(cpuMs);
  refusals.push({
    shape: shape.name,
    ...answer,
    cpuMs: { min: round(s.min), median: round(s.median), max: round(s.max) },
  });
  console.log(`${shape.name}: ${answer.status} ${answer.code}, median ${round(s.median)} ms CPU`);
}

const result = {
  benchmark: 'request-cost',
  commit: gitCommit(),
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model,
  model: { file: modelFile, bytes: bytes.length, vocabularySize: model.vocabularySize },
  limits: { maxRequestChars, maxReviewChars, maxBatchSize, maxBodyBytes: config.maxBodyBytes, maxTop: 50 },
  runs,
  rows,
  refusals,
};
writeFileSync(
  new URL('./results/request-cost.json', import.meta.url),
  `${JSON.stringify(result, null, 2)}\n`,
);
const table = [
  '# Request cost at the limits',
  '',
  `Commit ${result.commit.slice(0, 12)}, ${result.date.slice(0, 10)}, Node ${result.node}, ${result.cpu}; model ${result.model.vocabularySize} n-grams. CPU time per request through the whole app in-process, ${runs} runs. Regenerate: \`npx tsx bench/request-cost.ts <model.sntm>\`.`,
  '',
  `Limits: ${maxRequestChars} characters per request, ${maxReviewChars} per review, ${maxBatchSize} reviews, top ≤ 50.`,
  '',
  '| request | body | CPU min | CPU median | CPU max |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.shape} | ${(r.bodyBytes / 1024).toFixed(0)} KiB | ${r.cpuMs.min} ms | ${r.cpuMs.median} ms | ${r.cpuMs.max} ms |`,
  ),
  '',
  '| refused request | answer | CPU min | CPU median | CPU max |',
  '| --- | --- | ---: | ---: | ---: |',
  ...refusals.map(
    (r) =>
      `| ${r.shape} | ${r.status} \`${r.code}\` | ${r.cpuMs.min} ms | ${r.cpuMs.median} ms | ${r.cpuMs.max} ms |`,
  ),
  '',
];
writeFileSync(new URL('./results/request-cost.md', import.meta.url), table.join('\n'));
