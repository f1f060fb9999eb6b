/**
 * npm run bench: speed, size and memory of this project against scikit-learn, side by side on the
 * same machine in the same run, with the same parameters, on the full IMDb data (IMDB_DIR).
 *
 * Workloads per preset (seed, nb-lr-bi): fit (read + vectorize + solve), batch prediction over the
 * 25,000 test reviews, single-review latency p50/p99 over 2,000 reviews, model load, cold start (a
 * fresh process until the first prediction, from a file and from an S3-protocol server), artifact
 * size, peak RSS of a Lambda-like process, and local HTTP throughput for /predict (autocannon).
 * Medians over --runs (default 3; 5 for cold starts). scikit-learn runs through
 * tools/bench-sklearn.py when /usr/bin/python3 has it.
 *
 * Run: IMDB_DIR=../shared/datasets/imdb npm run bench [-- --runs 3 --presets seed,nb-lr-bi]
 * Writes bench/results/latest.md and latest.json.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import autocannon from 'autocannon';
import { readDataset } from '../src/data/read.js';
import { decodeModel, encodeModel } from '../src/model/artifact.js';
import type { ModelOptions } from '../src/model/fit.js';
import { fitSentimentModel } from '../src/model/fit.js';
import { S3ModelStore } from '../src/store/s3-store.js';
import { PRESETS } from '../src/training/presets.js';
import { startS3 } from '../test/support/s3-server.js';

const run = promisify(execFile);
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, presets: { type: 'string', default: 'seed,nb-lr-bi' } },
});
const runs = Number(values.runs);
/**
 * Settings both sides build the same way (tools/bench-sklearn.py). `nb-lr-bi` is the `default` preset
 * before the presets for other domains (NB-LR, uni+bigrams, C = 10): the same vocabulary and prediction
 * cost as today's `default`, which also learns from sentences and blends two fits, and which has no
 * scikit-learn twin in tools/bench-sklearn.py yet.
 */
const BENCH_CONFIGS: Record<string, ModelOptions> = {
  seed: PRESETS.seed,
  'nb-lr-bi': {
    tfidf: PRESETS.default.tfidf,
    logisticRegression: { ...PRESETS.default.logisticRegression, C: 10 },
    naiveBayesAlpha: 1,
  },
};
type PresetName = keyof typeof BENCH_CONFIGS;
const presets = values.presets.split(',') as PresetName[];
for (const preset of presets) if (!BENCH_CONFIGS[preset]) throw new Error(`unknown bench preset ${preset}`);
const imdb = process.env.IMDB_DIR;
if (!imdb) throw new Error('set IMDB_DIR to the folder with train.csv.gz and test.csv.gz');
const root = new URL('..', import.meta.url).pathname;
const python = process.env.PYTHON ?? '/usr/bin/python3';
const work = mkdtempSync(join(tmpdir(), 'bench-'));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const log = (line: string) => console.error(line);

async function hasSklearn(): Promise<boolean> {
  try {
    await run(python, ['-c', 'import sklearn, joblib']);
    return true;
  } catch {
    return false;
  }
}

async function wallMs(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const started = performance.now();
  await run(command, args, { env, cwd: root });
  return performance.now() - started;
}

interface Side {
  fitSeconds: number;
  accuracy: number;
  batchPerSecond: number;
  singleP50Ms: number;
  singleP99Ms: number;
  artifactBytes: number;
  loadMs: number;
  coldStartMs: number | null;
  coldStartS3Ms?: number | null;
  vocabularySize: number;
  peakRssMb?: number;
  sklearnVersion?: string;
}

async function measureOurs(
  preset: PresetName,
  s3env: Record<string, string>,
): Promise<Side & { modelPath: string }> {
  const fits: number[] = [];
  let fitted: ReturnType<typeof fitSentimentModel> | undefined;
  for (let r = 0; r < runs; r++) {
    fitted = undefined;
    const started = performance.now();
    const train = await readDataset(join(imdb!, 'train.csv.gz'));
    fitted = fitSentimentModel(train.texts, train.labels, BENCH_CONFIGS[preset]);
    fits.push((performance.now() - started) / 1000);
    log(`ours ${preset}: fit ${fits.at(-1)!.toFixed(2)} s`);
  }
  const model = fitted!.model;
  const test = await readDataset(join(imdb!, 'test.csv.gz'));
  const batch: number[] = [];
  let correct = 0;
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    const predictions = model.predictBatch(test.texts);
    batch.push(test.texts.length / ((performance.now() - started) / 1000));
    if (r === 0)
      predictions.forEach((p, i) => {
        if ((p.sentiment === 'positive' ? 1 : 0) === test.labels[i]) correct++;
      });
  }
  const singles: number[] = [];
  for (const review of test.texts.slice(0, 2000)) {
    const started = performance.now();
    model.predict(review);
    singles.push(performance.now() - started);
  }
  singles.sort((a, b) => a - b);
  const bytes = encodeModel(model);
  const modelPath = join(work, `${preset}.sntm`);
  writeFileSync(modelPath, bytes);
  const loads: number[] = [];
  for (let r = 0; r < 10; r++) {
    const started = performance.now();
    decodeModel(readFileSync(modelPath));
    loads.push(performance.now() - started);
  }
  const cold: number[] = [];
  const coldS3: number[] = [];
  await new S3ModelStore().write(`s3://bench/${preset}.sntm`, bytes);
  for (let r = 0; r < 5; r++) {
    cold.push(await wallMs(process.execPath, [join(root, 'bench/cold-process.mjs'), modelPath]));
    coldS3.push(
      await wallMs(process.execPath, [join(root, 'bench/cold-process.mjs'), `s3://bench/${preset}.sntm`], {
        ...process.env,
        ...s3env,
      }),
    );
  }
  return {
    modelPath,
    fitSeconds: median(fits),
    accuracy: correct / test.texts.length,
    batchPerSecond: median(batch),
    singleP50Ms: percentile(singles, 0.5),
    singleP99Ms: percentile(singles, 0.99),
    artifactBytes: bytes.length,
    loadMs: median(loads),
    coldStartMs: median(cold),
    coldStartS3Ms: median(coldS3),
    vocabularySize: model.vocabularySize,
  };
}

/** A Lambda-like process: the built bundle, the model from S3, 1,000 invocations; its peak RSS. */
async function lambdaPeakRss(preset: PresetName, s3env: Record<string, string>): Promise<number> {
  const out = join(work, `rss-${preset}.json`);
  await run(
    process.execPath,
    [
      join(root, 'test/support/invoke-bundle.mjs'),
      join(root, 'dist/lambda/index.mjs'),
      join(root, 'test/fixtures/events/http-api-v2.json'),
      out,
      '1000',
    ],
    {
      env: {
        PATH: process.env.PATH ?? '',
        ...s3env,
        MODEL_URI: `s3://bench/${preset}.sntm`,
        POWERTOOLS_LOG_LEVEL: 'ERROR',
      },
      maxBuffer: 1 << 28,
    },
  );
  return JSON.parse(readFileSync(out, 'utf8')).maxRssMb;
}

async function httpThroughput(modelPath: string) {
  const { spawn } = await import('node:child_process');
  const port = 30_000 + Math.floor(Math.random() * 20_000);
  const server = spawn(
    process.execPath,
    [join(root, 'dist/cli/bin.js'), 'serve', '--model', modelPath, '--port', String(port)],
    {
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR', LOG_LEVEL: 'ERROR' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.stderr.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening on')) resolve();
    });
    server.once('exit', () => reject(new Error('the server exited')));
  });
  try {
    const result = await autocannon({
      url: `http://127.0.0.1:${port}/predict`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        review:
          'One of the best films I have seen this year, with a superb cast, though the ending drags a little.',
      }),
      connections: 32,
      duration: 10,
    });
    return {
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.errors + result.non2xx,
    };
  } finally {
    server.kill('SIGTERM');
  }
}

const withSklearn = await hasSklearn();
log(`scikit-learn side by side: ${withSklearn ? 'yes' : `no (${python} has no scikit-learn)`}`);
const s3 = await startS3(['bench']);
Object.assign(process.env, s3.env);
await run('npm', ['run', 'build:lambda'], { cwd: root });

const results: Record<
  string,
  {
    ours: Side;
    sklearn: Side | null;
    lambdaPeakRssMb: number;
    http: Awaited<ReturnType<typeof httpThroughput>>;
  }
> = {};
for (const preset of presets) {
  const ours = await measureOurs(preset, s3.env);
  let sklearn: Side | null = null;
  if (withSklearn) {
    const out = join(work, `sklearn-${preset}.json`);
    log(`scikit-learn ${preset}: running`);
    await run(python, [join(root, 'tools/bench-sklearn.py'), imdb, preset, out, String(runs)], {
      cwd: work,
      maxBuffer: 1 << 26,
    });
    sklearn = JSON.parse(readFileSync(out, 'utf8'));
  }
  const lambdaPeakRssMb = await lambdaPeakRss(preset, s3.env);
  const http = await httpThroughput(ours.modelPath);
  results[preset] = { ours, sklearn, lambdaPeakRssMb, http };
  log(`${preset}: done`);
}
await s3.close();

const machine = {
  date: new Date().toISOString().slice(0, 10),
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  sklearn: Object.values(results)[0]?.sklearn?.sklearnVersion ?? null,
};
const ratio = (a: number | null | undefined, b: number | null | undefined, higherIsBetter = false) =>
  a == null || b == null ? '–' : `${(higherIsBetter ? a / b : b / a).toFixed(1)}×`;
const lines = [
  `Measured ${machine.date} on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB; Node ${machine.node}${machine.sklearn ? `, scikit-learn ${machine.sklearn}` : ''}. Medians of ${runs} runs (cold starts: 5).`,
  '',
  '| preset | workload | this project | scikit-learn | ratio |',
  '| --- | --- | --- | --- | --- |',
];
for (const [preset, r] of Object.entries(results)) {
  const o = r.ours;
  const s = r.sklearn;
  const row = (name: string, ours: string, theirs: string, x: string) =>
    lines.push(`| ${preset} | ${name} | ${ours} | ${theirs} | ${x} |`);
  row(
    'test accuracy',
    `${(o.accuracy * 100).toFixed(2)}%`,
    s ? `${(s.accuracy * 100).toFixed(2)}%` : '–',
    s ? `${((o.accuracy - s.accuracy) * 100).toFixed(2)} pts` : '–',
  );
  row(
    'fit (read + vectorize + solve)',
    `${o.fitSeconds.toFixed(2)} s`,
    s ? `${s.fitSeconds.toFixed(2)} s` : '–',
    ratio(o.fitSeconds, s?.fitSeconds),
  );
  row(
    'batch prediction',
    `${Math.round(o.batchPerSecond).toLocaleString('en-US')} reviews/s`,
    s ? `${Math.round(s.batchPerSecond).toLocaleString('en-US')} reviews/s` : '–',
    ratio(o.batchPerSecond, s?.batchPerSecond, true),
  );
  row(
    'single review p50',
    `${(o.singleP50Ms * 1000).toFixed(0)} µs`,
    s ? `${(s.singleP50Ms * 1000).toFixed(0)} µs` : '–',
    ratio(o.singleP50Ms, s?.singleP50Ms),
  );
  row(
    'single review p99',
    `${(o.singleP99Ms * 1000).toFixed(0)} µs`,
    s ? `${(s.singleP99Ms * 1000).toFixed(0)} µs` : '–',
    ratio(o.singleP99Ms, s?.singleP99Ms),
  );
  row(
    'model load (in process)',
    `${o.loadMs.toFixed(1)} ms`,
    s ? `${s.loadMs.toFixed(1)} ms` : '–',
    ratio(o.loadMs, s?.loadMs),
  );
  row(
    'cold start, file (fresh process → first prediction)',
    `${o.coldStartMs!.toFixed(0)} ms`,
    s?.coldStartMs ? `${s.coldStartMs.toFixed(0)} ms` : '–',
    ratio(o.coldStartMs, s?.coldStartMs),
  );
  row('cold start, S3 test server', `${o.coldStartS3Ms!.toFixed(0)} ms`, '–', '–');
  row(
    'artifact size',
    `${(o.artifactBytes / 1e6).toFixed(2)} MB (${o.vocabularySize.toLocaleString('en-US')} n-grams)`,
    s ? `${(s.artifactBytes / 1e6).toFixed(2)} MB joblib (${s.vocabularySize.toLocaleString('en-US')})` : '–',
    ratio(o.artifactBytes, s?.artifactBytes),
  );
  row(
    'peak RSS, Lambda-like process',
    `${r.lambdaPeakRssMb.toFixed(0)} MB`,
    s?.peakRssMb ? `${s.peakRssMb.toFixed(0)} MB (training process)` : '–',
    '–',
  );
  row(
    'local HTTP /predict, 32 connections',
    `${Math.round(r.http.requestsPerSecond).toLocaleString('en-US')} req/s, p50 ${r.http.p50Ms} ms, p99 ${r.http.p99Ms} ms, ${r.http.errors} errors`,
    '–',
    '–',
  );
}
const markdown = `${lines.join('\n')}\n`;
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/latest.md'), markdown);
writeFileSync(
  join(root, 'bench/results/latest.json'),
  `${JSON.stringify({ machine, runs, results }, null, 2)}\n`,
);
console.log(markdown);
if (!existsSync(join(root, 'dist/cli/bin.js'))) log('note: run npm run build first');
