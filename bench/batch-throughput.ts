/**
 * Scoring a file, whole processes, side by side: `sentiment predict --data test.csv.gz --out
 * predictions.csv` on 1 and on all cores (worker threads) against scikit-learn reading the same gzip'd
 * CSV, predict_proba and writing a CSV (tools/sklearn-score-file.py, pipeline `nb-lr-bi`: the same
 * vocabulary as `default`). Ours runs as a fresh process each time (model load included); scikit-learn's
 * timing starts after its fit. Peak RSS of ours from /usr/bin/time. Min/median/max over --runs.
 *
 * Run: npm run build && IMDB_DIR=<folder> npx tsx bench/batch-throughput.ts <model.sntm> [--runs 3]
 * Writes bench/results/batch-throughput.json and .md; refuses to write without scikit-learn's side.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gitCommit, type Spread, spread } from './meta.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '3' } },
});
const [modelFile] = positionals;
const imdb = process.env.IMDB_DIR;
if (!modelFile || !imdb)
  throw new Error('usage: IMDB_DIR=<folder> bench/batch-throughput.ts <model.sntm> [--runs n]');
const runs = Number(values.runs);
const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'batch-bench-'));
const input = join(imdb, 'test.csv.gz');
const rows = 25_000;

const cores = availableParallelism();
const threadCounts = [...new Set([1, 2, cores])];
const ours: Record<string, { seconds: Spread; reviewsPerSecond: number; peakRssMb: number }> = {};
for (const threads of threadCounts) {
  const seconds: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    execFileSync(
      process.execPath,
      [
        join(root, 'dist/cli/bin.js'),
        'predict',
        '--model',
        modelFile,
        '--data',
        input,
        '--out',
        join(work, 'ours.csv'),
        '--workers',
        String(threads),
      ],
      { stdio: 'ignore' },
    );
    seconds.push((performance.now() - started) / 1000);
  }
  // Peak RSS from one more run, read from /usr/bin/time's report on stderr.
  const report = execFileSync(
    '/bin/sh',
    [
      '-c',
      `/usr/bin/time -f maxrss=%M ${process.execPath} ${join(root, 'dist/cli/bin.js')} predict --model ${modelFile} --data ${input} --out ${join(work, 'ours.csv')} --workers ${threads} 2>&1 >/dev/null | grep maxrss`,
    ],
    { encoding: 'utf8' },
  );
  const peak = Number(/maxrss=(\d+)/.exec(report)?.[1] ?? 0) / 1024;
  const s = spread(seconds);
  ours[`${threads}`] = { seconds: s, reviewsPerSecond: rows / s.median, peakRssMb: peak };
  console.log(
    `ours, ${threads} thread(s): median ${s.median.toFixed(2)} s (${Math.round(rows / s.median)} reviews/s), peak RSS ${peak.toFixed(0)} MB`,
  );
}

const python = process.env.PYTHON ?? '/usr/bin/python3';
const sklearnOut = join(work, 'sklearn.json');
execFileSync(python, [join(root, 'tools/sklearn-score-file.py'), imdb, sklearnOut, String(runs)], {
  stdio: 'inherit',
});
if (!existsSync(sklearnOut))
  throw new Error('scikit-learn produced no result: not writing a one-sided table');
const sk = JSON.parse(readFileSync(sklearnOut, 'utf8')) as { sklearnVersion: string; seconds: number[] };
const skStats = spread(sk.seconds);
console.log(
  `scikit-learn: median ${skStats.median.toFixed(2)} s (${Math.round(rows / skStats.median)} reviews/s)`,
);

const commit = gitCommit();
const result = {
  measured: new Date().toISOString(),
  commit,
  node: process.version,
  sklearn: sk.sklearnVersion,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores,
  runs,
  rows,
  ours,
  scikitLearn: { seconds: skStats, reviewsPerSecond: rows / skStats.median },
};
writeFileSync(
  new URL('./results/batch-throughput.json', import.meta.url),
  `${JSON.stringify(result, null, 2)}\n`,
);
const f = (s: { min: number; median: number; max: number }) =>
  `${s.median.toFixed(2)} s (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
writeFileSync(
  new URL('./results/batch-throughput.md', import.meta.url),
  [
    `Measured ${result.measured.slice(0, 10)} at commit ${commit.slice(0, 12)}; Node ${process.version}, scikit-learn ${sk.sklearnVersion}; ${result.cpu}, ${cores} cores; ${rows.toLocaleString('en-US')} IMDb test reviews, gzip'd CSV in, CSV out; median (min–max) of ${runs} runs.`,
    '',
    '| scorer | time | reviews/s | peak RSS |',
    '| --- | --- | --- | --- |',
    ...Object.entries(ours).map(
      ([threads, r]) =>
        `| this project, ${threads} thread${threads === '1' ? '' : 's'} (process start and model load included) | ${f(r.seconds)} | ${Math.round(r.reviewsPerSecond).toLocaleString('en-US')} | ${r.peakRssMb.toFixed(0)} MB |`,
    ),
    `| scikit-learn predict_proba, nb-lr-bi (after its fit; read, score, write) | ${f(skStats)} | ${Math.round(rows / skStats.median).toLocaleString('en-US')} | – |`,
    '',
  ].join('\n'),
);
