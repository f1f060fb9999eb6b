/**
 * npm run bench: speed, size and memory of this project against scikit-learn, side by side on the
 * same machine in the same run, with the same parameters, on the full IMDb data (IMDB_DIR).
 *
 * Workloads per preset (seed, nb-lr-bi): fit (read + vectorize + solve), batch prediction over the
 * 25,000 test reviews, single-review latency p50/p99 over 2,000 reviews, model load, cold start (a
 * fresh process until the first prediction, from a file and from an S3-protocol server), artifact
 * size, peak RSS of a Lambda-like process, and local HTTP throughput for /predict (autocannon).
 * Min/median/max over --runs (default 5) for every timed row, the same count on both sides; fits are
 * whole processes (start to model written, one fit each, no validation refit); memory is a fresh
 * serving process's peak RSS on both sides. Whole-process rows alternate between the sides run by
 * run (a shared machine's load drifts; it then reaches both alike). scikit-learn runs through tools/bench-sklearn.py; without
 * it the run refuses to replace bench/results/latest.* (--one-sided writes one-sided.* instead).
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
import { decodeModel } from '../src/model/artifact.js';
import type { ModelOptions } from '../src/model/fit.js';
import { S3ModelStore } from '../src/store/s3-store.js';
import { PRESETS } from '../src/training/presets.js';
import { startS3 } from '../test/support/s3-server.js';
import { gitCommit, spread } from './meta.js';
import { renderBenchTable, type BenchSide as Side } from './table.js';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    presets: { type: 'string', default: 'seed,nb-lr-bi' },
    'one-sided': { type: 'boolean', default: false },
  },
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

/** The review both sides' cold starts answer (scikit-learn's answers the first test review). */
const COLD_REVIEW = 'A wonderful film with a superb cast.';
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
  await run(command, args, { env, cwd: root, maxBuffer: 1 << 26 });
  return performance.now() - started;
}

/** Wall time and peak RSS (MB, from /usr/bin/time) of a fresh process. */
async function timedProcess(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const started = performance.now();
  const { stderr } = await run('/usr/bin/time', ['-f', '%M', command, ...args], {
    env,
    cwd: root,
    maxBuffer: 1 << 26,
  });
  const ms = performance.now() - started;
  return { ms, rssMb: Number(stderr.trim().split('\n').pop()) / 1024 };
}

/** Whole-process rows, collected round by round on both sides. */
interface Rounds {
  ours: {
    fits: number[];
    oneThreadFits: number[];
    scoreFile: number[];
    cold: number[];
    rss: number[];
    coldS3: number[];
  };
  sklearn: { fits: number[]; scoreFile: number[]; cold: number[]; rss: number[] } | null;
}

/**
 * Both sides of one preset. The whole-process rows (fit, scoring a file, cold start) alternate
 * between the sides run by run, so a shared machine's load, which drifts over minutes, reaches both
 * alike; in-process rows (batch throughput, single-review latency, model load) run side after side.
 */
async function measurePreset(
  preset: PresetName,
  s3env: Record<string, string>,
  withSklearn: boolean,
): Promise<{ ours: Side & { modelPath: string }; sklearn: Side | null }> {
  const modelPath = join(work, `${preset}.sntm`);
  const sklearnPath = join(work, `sklearn-${preset}.joblib`);
  const optionsFile = join(work, `${preset}.options.json`);
  writeFileSync(optionsFile, JSON.stringify(BENCH_CONFIGS[preset]));
  const bench = join(root, 'tools/bench-sklearn.py');
  const rounds: Rounds = {
    ours: { fits: [], oneThreadFits: [], scoreFile: [], cold: [], rss: [], coldS3: [] },
    sklearn: withSklearn ? { fits: [], scoreFile: [], cold: [], rss: [] } : null,
  };
  const sk = rounds.sklearn;

  for (let r = 0; r < runs; r++) {
    // All cores (the default), then one thread: the scaling of counting and the solver's products.
    for (const [threads, into] of [
      [cpus().length, rounds.ours.fits],
      [1, rounds.ours.oneThreadFits],
    ] as const) {
      const args = [join(root, 'bench/fit-process.mjs'), join(imdb!, 'train.csv.gz'), optionsFile, modelPath];
      into.push((await wallMs(process.execPath, [...args, String(threads)])) / 1000);
      log(`ours ${preset}: fit (whole process, ${threads} threads) ${into.at(-1)!.toFixed(2)} s`);
    }
    if (sk) {
      sk.fits.push((await wallMs(python, [bench, 'fit', imdb!, preset, sklearnPath])) / 1000);
      log(`scikit-learn ${preset}: fit (whole process) ${sk.fits.at(-1)!.toFixed(2)} s`);
    }
  }
  for (let r = 0; r < runs; r++) {
    const cli = join(root, 'dist/cli/bin.js');
    const args = [cli, 'predict', '--model', modelPath, '--data', join(imdb!, 'test.csv.gz')];
    rounds.ours.scoreFile.push(
      (await wallMs(process.execPath, [...args, '--out', join(work, 'scored.csv')])) / 1000,
    );
    log(
      `ours ${preset}: predict --data test.csv.gz --out (whole process) ${rounds.ours.scoreFile.at(-1)!.toFixed(2)} s`,
    );
    if (sk) {
      const skArgs = [bench, 'score', imdb!, sklearnPath, join(work, 'sk-scored.csv')];
      sk.scoreFile.push((await wallMs(python, skArgs)) / 1000);
      log(`scikit-learn ${preset}: score the test file (whole process) ${sk.scoreFile.at(-1)!.toFixed(2)} s`);
    }
  }

  const bytes = readFileSync(modelPath);
  const model = decodeModel(bytes);
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
  const loads: number[] = [];
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    decodeModel(readFileSync(modelPath));
    loads.push(performance.now() - started);
  }
  // scikit-learn's in-process rows (batch, single reviews, load) from the model its fits wrote.
  let sklearnInProcess: Side | null = null;
  if (sk) {
    const out = join(work, `sklearn-${preset}.json`);
    await run(python, [bench, 'measure', imdb!, preset, sklearnPath, out, String(runs)], {
      cwd: work,
      maxBuffer: 1 << 26,
    });
    sklearnInProcess = JSON.parse(readFileSync(out, 'utf8'));
  }

  // Cold starts: the CLI as a user runs it, `sentiment predict --model <file> "<review>"`, against
  // joblib.load + predict_proba of the same review in a fresh python3. One untimed run of each
  // first fills V8's compile cache and Python's bytecode cache.
  await new S3ModelStore().write(`s3://bench/${preset}.sntm`, bytes);
  const cli = (model: string) => [join(root, 'dist/cli/bin.js'), 'predict', '--model', model, COLD_REVIEW];
  const coldCode = sk ? (await run(python, [bench, 'cold-code', sklearnPath, COLD_REVIEW])).stdout : '';
  await wallMs(process.execPath, cli(modelPath));
  if (sk) await run(python, ['-c', coldCode]);
  for (let r = 0; r < runs; r++) {
    const file = await timedProcess(process.execPath, cli(modelPath));
    rounds.ours.cold.push(file.ms);
    rounds.ours.rss.push(file.rssMb);
    rounds.ours.coldS3.push(
      await wallMs(process.execPath, cli(`s3://bench/${preset}.sntm`), { ...process.env, ...s3env }),
    );
    if (sk) {
      const started = performance.now();
      const { stdout } = await run(python, ['-c', coldCode], { cwd: work });
      sk.cold.push(performance.now() - started);
      sk.rss.push(Number(stdout.trim()));
    }
  }
  const ours: Side & { modelPath: string } = {
    modelPath,
    fitSeconds: spread(rounds.ours.fits),
    fitOneThreadSeconds: spread(rounds.ours.oneThreadFits),
    scoreFileSeconds: spread(rounds.ours.scoreFile),
    accuracy: correct / test.texts.length,
    batchPerSecond: spread(batch),
    singleP50Ms: percentile(singles, 0.5),
    singleP99Ms: percentile(singles, 0.99),
    artifactBytes: bytes.length,
    loadMs: spread(loads),
    coldStartMs: spread(rounds.ours.cold),
    coldStartCommand: 'sentiment predict --model <file> "<review>"',
    coldStartS3Ms: spread(rounds.ours.coldS3),
    servingRssMb: spread(rounds.ours.rss),
    vocabularySize: model.vocabularySize,
  };
  const sklearn =
    sk && sklearnInProcess
      ? {
          ...sklearnInProcess,
          fitSeconds: spread(sk.fits),
          scoreFileSeconds: spread(sk.scoreFile),
          coldStartMs: spread(sk.cold),
          servingRssMb: spread(sk.rss),
        }
      : null;
  return { ours, sklearn };
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
// A comparison with one side is not a comparison: it never replaces the recorded results.
if (!withSklearn && !values['one-sided'])
  throw new Error(
    `${python} has no scikit-learn: install python3-sklearn, or pass --one-sided to write bench/results/one-sided.*`,
  );
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
  const { ours, sklearn } = await measurePreset(preset, s3.env, withSklearn);
  const lambdaPeakRssMb = await lambdaPeakRss(preset, s3.env);
  const http = await httpThroughput(ours.modelPath);
  results[preset] = { ours, sklearn, lambdaPeakRssMb, http };
  log(`${preset}: done`);
}
await s3.close();

const machine = {
  date: new Date().toISOString(),
  commit: gitCommit(),
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  sklearn: Object.values(results)[0]?.sklearn?.sklearnVersion ?? null,
  python: (Object.values(results)[0]?.sklearn as { python?: string } | null)?.python ?? null,
};
const record = { machine, runs, results };
const base = withSklearn ? 'latest' : 'one-sided';
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, `bench/results/${base}.json`), `${JSON.stringify(record, null, 2)}\n`);
const markdown = renderBenchTable(record);
writeFileSync(join(root, `bench/results/${base}.md`), markdown);
console.log(markdown);
if (!existsSync(join(root, 'dist/cli/bin.js'))) log('note: run npm run build first');
