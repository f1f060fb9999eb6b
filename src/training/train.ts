import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import type { Dataset } from '../data/dataset.js';
import { SentimentError } from '../errors.js';
import { encodeModel, FILE_EXTENSION, FORMAT_VERSION, modelVersion } from '../model/artifact.js';
import { type FitProgress, fitSentimentModel, type ModelOptions } from '../model/fit.js';
import { writeFilesAtomic } from '../store/atomic-write.js';
import { PACKAGE_VERSION } from '../version.js';
import { type DomainResult, evaluateDomain } from './domains.js';
import { evaluateModel } from './evaluate.js';
import type { Metrics } from './metrics.js';
import { renderModelCard } from './model-card.js';
import { type CountingThreads, countTermsInParallel, defaultThreads } from './parallel-count.js';
import { threadedColumnProducts } from './parallel-products.js';
import type { PresetName } from './presets.js';
import { renderReport } from './report.js';
import { type SearchTrial, searchHyperparameters } from './search.js';
import { stratifiedSplit } from './split.js';
import { chooseWeightStorage } from './weights.js';

/** One training source and the weight of its rows in the loss. */
export interface TrainingSource {
  dataset: Dataset;
  weight: number;
}

export interface TrainingRun {
  /** One or more sources, trained on together. */
  sources: TrainingSource[];
  test?: Dataset;
  /** Extra labelled sets, only to report (e.g. other domains). */
  evals?: Dataset[];
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
  /** Threads counting n-grams and solving (default: every core); the model does not depend on it. */
  threads?: number;
  /** Counting threads started ahead (while the data was read); else each count starts its own. */
  countingThreads?: CountingThreads;
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
  /** The final model on each `--eval` set. */
  domains?: DomainResult[];
  search?: SearchTrial[];
  data: {
    train: DataSummary;
    /** Each `--data` source with its weight (one entry when there is one source). */
    sources: Array<DataSummary & { weight: number }>;
    test?: DataSummary;
    evals?: DataSummary[];
    validationSplit: number;
  };
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

export interface DataSummary {
  source: string;
  documents: number;
  positive: number;
  skipped: number;
  /** Rows left out because their label is in neither --positive-labels nor --negative-labels. */
  otherLabels?: number;
  fingerprint: string;
}

/** Counts and a SHA-256 over labels and texts: the same data gives the same fingerprint. */
export function summarize(dataset: Dataset): DataSummary {
  const hash = createHash('sha256');
  for (let i = 0; i < dataset.texts.length; i++) hash.update(`${dataset.labels[i]}\t${dataset.texts[i]}\n`);
  return {
    source: basename(dataset.source),
    documents: dataset.texts.length,
    positive: dataset.labels.reduce((s, l) => s + l, 0),
    skipped: dataset.skipped,
    ...(dataset.otherLabels ? { otherLabels: dataset.otherLabels } : {}),
    fingerprint: hash.digest('hex'),
  };
}

interface Rows {
  texts: string[];
  labels: Uint8Array;
  /** Per-row loss weights, or undefined when every weight is 1. */
  weights?: Float64Array;
}

function merge(sources: readonly TrainingSource[]): Rows & { dataset: Dataset } {
  if (sources.length === 0) throw new SentimentError('no_training_data', 'no training data');
  const texts = sources.flatMap((s) => s.dataset.texts);
  const labels = Uint8Array.from(sources.flatMap((s) => Array.from(s.dataset.labels)));
  const weighted = sources.some((s) => s.weight !== 1);
  const weights = weighted
    ? Float64Array.from(sources.flatMap((s) => new Array<number>(s.dataset.texts.length).fill(s.weight)))
    : undefined;
  const dataset: Dataset = {
    texts,
    labels,
    source: sources.map((s) => basename(s.dataset.source)).join(' + '),
    skipped: sources.reduce((sum, s) => sum + s.dataset.skipped, 0),
    otherLabels: sources.reduce((sum, s) => sum + (s.dataset.otherLabels ?? 0), 0),
  };
  return { texts, labels, weights, dataset };
}

function subset(rows: Rows, picked: Uint32Array): Rows {
  return {
    texts: Array.from(picked, (i) => rows.texts[i]),
    labels: Uint8Array.from(picked, (i) => rows.labels[i]),
    ...(rows.weights ? { weights: Float64Array.from(picked, (i) => rows.weights![i]) } : {}),
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
  let validationTexts: string[] | undefined;
  const all = merge(run.sources);
  const count = (texts: readonly string[]) =>
    countTermsInParallel(texts, options.tfidf, run.threads, run.progress?.vectorizing, run.countingThreads);
  const products = threadedColumnProducts(run.threads ?? defaultThreads());
  const train = all.dataset;
  if (run.validationSplit > 0) {
    const split = stratifiedSplit(all.labels, run.validationSplit, run.seed);
    const trainPart = subset(all, split.train);
    const validationPart = subset(all, split.validation);
    if (run.search) {
      const started = performance.now();
      const result = searchHyperparameters(trainPart, validationPart, options, log, products);
      options = result.best;
      trials = result.trials;
      timings.searchMs = performance.now() - started;
      log(`search: chose n-grams ${options.tfidf.ngramRange.join('-')}, C ${options.logisticRegression.C}`);
    }
    const started = performance.now();
    const heldOut = fitSentimentModel(
      trainPart.texts,
      trainPart.labels,
      options,
      {},
      run.progress,
      trainPart.weights,
      await count(trainPart.texts),
      products,
    );
    timings.validationFitMs = performance.now() - started;
    validationEvaluation = evaluateModel(heldOut.model, validationPart);
    validationTexts = validationPart.texts;
    validation = validationEvaluation.metrics;
    log(`validation: accuracy ${percent(validation.accuracy)} on ${validation.count} held-out reviews`);
  } else if (run.search) {
    throw new SentimentError('search_needs_validation', '--search needs a validation split', {
      hint: 'give --validation-split a fraction above 0, such as 0.1',
    });
  }

  log(`fitting on all ${train.texts.length} training reviews`);
  const started = performance.now();
  const fit = fitSentimentModel(
    all.texts,
    all.labels,
    options,
    {},
    run.progress,
    all.weights,
    await count(all.texts),
    products,
  );
  const fitMs = performance.now() - started;
  if (!fit.solver.converged) {
    log(
      `warning: the solver stopped after ${fit.solver.iterations} iterations without converging (gradient norm ${fit.solver.gradientNorm.toExponential(2)}); raise maxIter`,
    );
  }
  log(
    `fit: ${fit.model.vocabularySize} n-grams, ${fit.solver.iterations} Newton iterations, ${(fitMs / 1000).toFixed(1)} s`,
  );

  // int16 weights when they keep the answers on held-out text (the test set, else the validation
  // part, else the training texts' rows the fit computed); every figure below is then the saved
  // model's own.
  const storage = chooseWeightStorage(fit.model, run.test?.texts ?? validationTexts ?? fit.features);
  fit.model = storage.model;
  log(
    `weights: ${storage.precision} (on ${storage.check.texts} texts against float32: labels agree ${percent(storage.check.agreement)}, largest probability change ${storage.check.maxProbabilityChange.toExponential(1)})`,
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

  let domains: DomainResult[] | undefined;
  if (run.evals?.length) {
    domains = run.evals.map((dataset) => evaluateDomain(fit.model, dataset, basename(dataset.source)));
    for (const d of domains)
      log(
        `eval ${d.name}: accuracy ${percent(d.accuracy)} on ${d.count} reviews, ROC AUC ${d.rocAuc.toFixed(4)}`,
      );
  }

  const data: MetricsFile['data'] = {
    train: summarize(train),
    sources: run.sources.map((s) => ({ ...summarize(s.dataset), weight: s.weight })),
    ...(run.test ? { test: summarize(run.test) } : {}),
    ...(run.evals?.length ? { evals: run.evals.map(summarize) } : {}),
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
    formatVersion: FORMAT_VERSION,
    packageVersion: PACKAGE_VERSION,
    preset: run.preset,
    options,
    training: data,
    metrics: { validation, test, ...(domains ? { domains } : {}) },
    solver,
    weights: { precision: storage.precision, ...storage.check },
    createdAt: run.createdAt,
  });
  const artifact = encodeModel(fit.model, { precision: storage.precision });
  const version = modelVersion(artifact);
  const metrics: MetricsFile = {
    preset: run.preset,
    options,
    ...(validation ? { validation } : {}),
    ...(test ? { test } : {}),
    ...(domains ? { domains } : {}),
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
  // All or nothing: the files are written aside, then renamed together, the model last, so a
  // directory with a model always has the files that describe it, and a failed write changes nothing.
  await writeFilesAtomic([
    [join(run.outDir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`],
    [
      join(run.outDir, 'report.html'),
      renderReport({
        metrics,
        model: fit.model,
        evaluation: reportEvaluation,
        evaluatedOn: testEvaluation ? 'test' : 'validation',
      }),
    ],
    [join(run.outDir, 'model-card.md'), renderModelCard(metrics, fit.model)],
    [modelPath, artifact],
  ]);
  log(`wrote ${modelPath} (${(artifact.length / 1e6).toFixed(2)} MB, version ${version.slice(0, 12)})`);
  return { modelPath, modelVersion: version, metrics };
}
