import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import type { Dataset } from '../data/dataset.js';
import { encodeModel, FILE_EXTENSION, modelVersion } from '../model/artifact.js';
import { type FitProgress, fitSentimentModel, type ModelOptions } from '../model/fit.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import { PACKAGE_VERSION } from '../version.js';
import { evaluateModel } from './evaluate.js';
import type { Metrics } from './metrics.js';
import { renderModelCard } from './model-card.js';
import type { PresetName } from './presets.js';
import { renderReport } from './report.js';
import { type SearchTrial, searchHyperparameters } from './search.js';
import { stratifiedSplit } from './split.js';

export interface TrainingRun {
  train: Dataset;
  test?: Dataset;
  preset: PresetName;
  options: ModelOptions;
  /** Fraction of the training data held out for validation metrics (and the search), or 0. */
  validationSplit: number;
  search: boolean;
  seed: number;
  outDir: string;
  /** When the model counts as made (ISO 8601): pass SOURCE_DATE_EPOCH's for reproducible files. */
  createdAt: string;
  log: (line: string) => void;
  /** Progress of the long steps (a bar on a terminal). */
  progress?: FitProgress;
}

export interface TrainingSummary {
  modelPath: string;
  modelVersion: string;
  metrics: MetricsFile;
}

export interface MetricsFile {
  preset: PresetName;
  options: ModelOptions;
  validation?: Metrics;
  test?: Metrics;
  search?: SearchTrial[];
  data: { train: DataSummary; test?: DataSummary; validationSplit: number };
  solver: { iterations: number; gradientNorm: number; converged: boolean; hessianProducts: number };
  sizes: { vocabulary: number; artifactBytes: number };
  timings: {
    readMs?: number;
    searchMs?: number;
    validationFitMs?: number;
    fitMs: number;
    vectorizeMs: number;
    solveMs: number;
    evaluateMs?: number;
  };
  modelVersion: string;
  createdAt: string;
}

interface DataSummary {
  source: string;
  documents: number;
  positive: number;
  skipped: number;
  fingerprint: string;
}

function summarize(dataset: Dataset): DataSummary {
  const hash = createHash('sha256');
  for (let i = 0; i < dataset.texts.length; i++) hash.update(`${dataset.labels[i]}\t${dataset.texts[i]}\n`);
  return {
    source: basename(dataset.source),
    documents: dataset.texts.length,
    positive: dataset.labels.reduce((s, l) => s + l, 0),
    skipped: dataset.skipped,
    fingerprint: hash.digest('hex'),
  };
}

function subset(dataset: Dataset, rows: Uint32Array) {
  return {
    texts: Array.from(rows, (i) => dataset.texts[i]),
    labels: Uint8Array.from(rows, (i) => dataset.labels[i]),
  };
}

const percent = (x: number) => `${(x * 100).toFixed(2)}%`;

/** Trains, evaluates and writes model, metrics.json, report.html and model-card.md into `outDir`. */
export async function runTraining(run: TrainingRun): Promise<TrainingSummary> {
  const { log } = run;
  let options = run.options;
  const timings: Partial<MetricsFile['timings']> = {};
  let validation: Metrics | undefined;
  let trials: SearchTrial[] | undefined;
  let validationEvaluation: ReturnType<typeof evaluateModel> | undefined;
  if (run.validationSplit > 0) {
    const split = stratifiedSplit(run.train.labels, run.validationSplit, run.seed);
    const trainPart = subset(run.train, split.train);
    const validationPart = subset(run.train, split.validation);
    if (run.search) {
      const started = performance.now();
      const result = searchHyperparameters(trainPart, validationPart, options, log);
      options = result.best;
      trials = result.trials;
      timings.searchMs = performance.now() - started;
      log(`search: chose n-grams ${options.tfidf.ngramRange.join('-')}, C ${options.logisticRegression.C}`);
    }
    const started = performance.now();
    const heldOut = fitSentimentModel(trainPart.texts, trainPart.labels, options, {}, run.progress);
    timings.validationFitMs = performance.now() - started;
    validationEvaluation = evaluateModel(heldOut.model, validationPart);
    validation = validationEvaluation.metrics;
    log(`validation: accuracy ${percent(validation.accuracy)} on ${validation.count} held-out reviews`);
  } else if (run.search) {
    throw new RangeError('--search needs a validation split (--validation-split > 0)');
  }

  log(`fitting on all ${run.train.texts.length} training reviews`);
  const started = performance.now();
  const fit = fitSentimentModel(run.train.texts, run.train.labels, options, {}, run.progress);
  const fitMs = performance.now() - started;
  if (!fit.solver.converged) {
    log(
      `warning: the solver stopped after ${fit.solver.iterations} iterations without converging (gradient norm ${fit.solver.gradientNorm.toExponential(2)}); raise maxIter`,
    );
  }
  log(
    `fit: ${fit.model.vocabularySize} n-grams, ${fit.solver.iterations} Newton iterations, ${(fitMs / 1000).toFixed(1)} s`,
  );

  let test: Metrics | undefined;
  let testEvaluation: ReturnType<typeof evaluateModel> | undefined;
  if (run.test) {
    const evaluateStarted = performance.now();
    testEvaluation = evaluateModel(fit.model, run.test);
    test = testEvaluation.metrics;
    timings.evaluateMs = performance.now() - evaluateStarted;
    log(`test: accuracy ${percent(test.accuracy)} on ${test.count} reviews`);
  }

  const data = {
    train: summarize(run.train),
    ...(run.test ? { test: summarize(run.test) } : {}),
    validationSplit: run.validationSplit,
  };
  const solver = {
    iterations: fit.solver.iterations,
    gradientNorm: fit.solver.gradientNorm,
    converged: fit.solver.converged,
    hessianProducts: fit.solver.hessianProducts,
  };
  // Everything here is a function of data and options, so the same inputs give the same bytes.
  Object.assign(fit.model.metadata, {
    formatVersion: 1,
    packageVersion: PACKAGE_VERSION,
    preset: run.preset,
    options,
    training: data,
    metrics: { validation, test },
    solver,
    createdAt: run.createdAt,
  });
  const artifact = encodeModel(fit.model);
  const version = modelVersion(artifact);
  const metrics: MetricsFile = {
    preset: run.preset,
    options,
    ...(validation ? { validation } : {}),
    ...(test ? { test } : {}),
    ...(trials ? { search: trials } : {}),
    data,
    solver,
    sizes: { vocabulary: fit.model.vocabularySize, artifactBytes: artifact.length },
    timings: { ...timings, fitMs, ...fit.timings },
    modelVersion: version,
    createdAt: run.createdAt,
  };
  const modelPath = join(run.outDir, `model.${FILE_EXTENSION}`);
  const reportEvaluation = testEvaluation ?? validationEvaluation;
  await writeFileAtomic(join(run.outDir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  await writeFileAtomic(
    join(run.outDir, 'report.html'),
    renderReport({
      metrics,
      model: fit.model,
      evaluation: reportEvaluation,
      evaluatedOn: testEvaluation ? 'test' : 'validation',
    }),
  );
  await writeFileAtomic(join(run.outDir, 'model-card.md'), renderModelCard(metrics, fit.model));
  // The model goes last: a directory with a model always has the files that describe it.
  await writeFileAtomic(modelPath, artifact);
  log(`wrote ${modelPath} (${(artifact.length / 1e6).toFixed(2)} MB, version ${version.slice(0, 12)})`);
  return { modelPath, modelVersion: version, metrics };
}
