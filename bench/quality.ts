/**
 * Quality across domains, for every preset: trained on IMDb train.csv.gz only, reported on IMDb
 * test.csv.gz and on the rt-polarity *report* half (bench/domains.ts), then calibrated on 500
 * labelled rt-polarity rows (a seeded stratified sample) and reported on the other 10,162. Also the
 * scikit-learn-equivalent uni+bi baseline (TF-IDF min_df 2, sublinear tf, C = 10), and isotonic
 * regression as the calibration that was tried besides Platt scaling.
 *
 * Run: IMDB_DIR=<folder with train/test.csv.gz> [RT_POLARITY_DIR=...] npx tsx bench/quality.ts [preset ...]
 * Writes bench/results/quality.json and bench/results/quality.md (the README's quality table).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fitSentimentModel, type ModelOptions } from '../src/model/fit.js';
import { DEFAULT_LOGISTIC_REGRESSION } from '../src/model/logistic-regression.js';
import type { SentimentModel } from '../src/model/sentiment-model.js';
import { SKLEARN_TFIDF } from '../src/model/vectorizer.js';
import { calibrateModel } from '../src/training/calibrate.js';
import { evaluateDomain } from '../src/training/domains.js';
import { computeMetrics } from '../src/training/metrics.js';
import { PRESETS } from '../src/training/presets.js';
import { stratifiedSplit } from '../src/training/split.js';
import { loadDomains, RT_SPLIT } from './domains.js';
import { gitCommit } from './meta.js';

const CALIBRATION_ROWS = 500;
const CALIBRATION_SEED = 7;

const CONFIGS: Record<string, ModelOptions> = {
  ...PRESETS,
  'sklearn-uni-bi': {
    tfidf: { ...SKLEARN_TFIDF, ngramRange: [1, 2], minDf: 2, sublinearTf: true },
    logisticRegression: { ...DEFAULT_LOGISTIC_REGRESSION, C: 10 },
    naiveBayesAlpha: null,
  },
};

const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(CONFIGS);
const domains = await loadDomains();
const imdbTest = await domains.imdbTest();
const rtAll = {
  texts: [...domains.rtChoose.texts, ...domains.rtReport.texts],
  labels: Uint8Array.from([...domains.rtChoose.labels, ...domains.rtReport.labels]),
  source: 'rt-polarity.csv.gz',
  skipped: 0,
};
const calibrationSplit = stratifiedSplit(
  rtAll.labels,
  CALIBRATION_ROWS / rtAll.texts.length,
  CALIBRATION_SEED,
);
const pick = (rows: Uint32Array) => ({
  texts: Array.from(rows, (i) => rtAll.texts[i]),
  labels: Uint8Array.from(rows, (i) => rtAll.labels[i]),
  source: 'rt-polarity.csv.gz',
  skipped: 0,
});
const calibrationSample = pick(calibrationSplit.validation);
const calibrationRest = pick(calibrationSplit.train);

/** Isotonic regression (pool-adjacent violators) of labels on scores: what we tried besides Platt. */
function isotonic(scores: Float64Array, labels: Uint8Array) {
  const order = Array.from(scores.keys()).sort((a, b) => scores[a] - scores[b]);
  const blocks: Array<{ high: number; sum: number; count: number }> = [];
  for (const i of order) {
    blocks.push({ high: scores[i], sum: labels[i], count: 1 });
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1];
      const a = blocks[blocks.length - 2];
      if (a.sum / a.count < b.sum / b.count) break;
      blocks.splice(blocks.length - 2, 2, { high: b.high, sum: a.sum + b.sum, count: a.count + b.count });
    }
  }
  return (z: number) => {
    const block = blocks.find((b) => z <= b.high) ?? blocks[blocks.length - 1];
    return block.sum / block.count;
  };
}

interface Result {
  preset: string;
  imdbTest: ReturnType<typeof evaluateDomain>;
  rtReport: ReturnType<typeof evaluateDomain>;
  rtAll: ReturnType<typeof evaluateDomain>;
  calibrated: {
    uncalibrated: ReturnType<typeof evaluateDomain>;
    platt: ReturnType<typeof evaluateDomain>;
    isotonic: { accuracy: number; logLoss: number };
  };
  fitSeconds: number;
  vocabulary: number;
}

function calibrationFigures(model: SentimentModel): Result['calibrated'] {
  const { model: platt } = calibrateModel(model, calibrationSample, 'bench', 'bench');
  const raw = Float64Array.from(calibrationSample.texts, (t) => model.rawScore(t));
  const map = isotonic(raw, calibrationSample.labels);
  const p = Float64Array.from(calibrationRest.texts, (t) => map(model.rawScore(t)));
  const m = computeMetrics(calibrationRest.labels, p);
  return {
    uncalibrated: evaluateDomain(model, calibrationRest, 'rt-polarity other 10,162'),
    platt: evaluateDomain(platt, calibrationRest, 'rt-polarity other 10,162, Platt on 500'),
    isotonic: { accuracy: m.accuracy, logLoss: m.logLoss },
  };
}

const resultsFile = new URL('./results/quality.json', import.meta.url);
const previous: { results?: Result[] } = existsSync(resultsFile)
  ? JSON.parse(readFileSync(resultsFile, 'utf8'))
  : {};
const results = new Map((previous.results ?? []).map((r) => [r.preset, r]));
for (const name of names) {
  const options = CONFIGS[name];
  if (!options) throw new Error(`unknown preset ${name}: ${Object.keys(CONFIGS).join(', ')}`);
  const started = performance.now();
  const { model } = fitSentimentModel(domains.imdbTrain.texts, domains.imdbTrain.labels, options);
  const fitSeconds = (performance.now() - started) / 1000;
  const result: Result = {
    preset: name,
    imdbTest: evaluateDomain(model, imdbTest, 'IMDb test'),
    rtReport: evaluateDomain(model, domains.rtReport, 'rt-polarity report half'),
    rtAll: evaluateDomain(model, rtAll, 'rt-polarity all'),
    calibrated: calibrationFigures(model),
    fitSeconds,
    vocabulary: model.vocabularySize,
  };
  results.set(name, result);
  console.log(
    `${name}: IMDb test ${(result.imdbTest.accuracy * 100).toFixed(2)}%, rt report half ${(result.rtReport.accuracy * 100).toFixed(2)}%, rt rest uncalibrated ${(result.calibrated.uncalibrated.accuracy * 100).toFixed(2)}% / Platt ${(result.calibrated.platt.accuracy * 100).toFixed(2)}% (log loss ${result.calibrated.uncalibrated.logLoss.toFixed(4)} -> ${result.calibrated.platt.logLoss.toFixed(4)}), isotonic ${(result.calibrated.isotonic.accuracy * 100).toFixed(2)}% (log loss ${result.calibrated.isotonic.logLoss.toFixed(4)}), fit ${fitSeconds.toFixed(1)} s`,
  );
}

const commit = gitCommit();
const meta = {
  measured: new Date().toISOString(),
  commit,
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  rtSplit: RT_SPLIT,
  calibration: { rows: CALIBRATION_ROWS, seed: CALIBRATION_SEED },
};
const ordered = [...results.values()];
writeFileSync(resultsFile, `${JSON.stringify({ ...meta, results: ordered }, null, 2)}\n`);
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const md = [
  `Measured ${meta.measured.slice(0, 10)} at commit ${commit.slice(0, 12)} on Node ${meta.node}; trained on IMDb train only (25,000 reviews). rt-polarity report half: 5,331 snippets (stratified split, seed ${RT_SPLIT.seed}); calibrated: Platt scaling on ${CALIBRATION_ROWS} rt-polarity rows (stratified, seed ${CALIBRATION_SEED}), reported on the other ${calibrationRest.texts.length}.`,
  '',
  '| preset | IMDb test | rt-polarity report half | rt-polarity rest, uncalibrated | rt-polarity rest, calibrated on 500 | log loss uncalibrated → calibrated | positive predicted (rt, 50% actual) |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...ordered.map(
    (r) =>
      `| ${r.preset} | ${pct(r.imdbTest.accuracy)} | ${pct(r.rtReport.accuracy)} | ${pct(r.calibrated.uncalibrated.accuracy)} | ${pct(r.calibrated.platt.accuracy)} | ${r.calibrated.uncalibrated.logLoss.toFixed(3)} → ${r.calibrated.platt.logLoss.toFixed(3)} | ${pct(r.rtAll.predictedPositiveRate)} |`,
  ),
  '',
];
writeFileSync(new URL('./results/quality.md', import.meta.url), md.join('\n'));
