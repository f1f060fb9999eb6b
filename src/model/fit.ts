import { splitSentences } from '../text/sentences.js';
import {
  DEFAULT_LOGISTIC_REGRESSION,
  fitLogisticRegression,
  type LogisticRegressionFit,
  type LogisticRegressionOptions,
} from './logistic-regression.js';
import { logCountRatio } from './naive-bayes.js';
import { type ModelMetadata, SentimentModel } from './sentiment-model.js';
import { type CsrMatrix, stackRows } from './sparse.js';
import { type TfidfOptions, TfidfVectorizer } from './vectorizer.js';

export interface ModelOptions {
  tfidf: TfidfOptions;
  logisticRegression: LogisticRegressionOptions;
  /** Scale features by Naive-Bayes log-count ratios with this smoothing (NB-LR), or null for plain LR. */
  naiveBayesAlpha: number | null;
  /**
   * Also learn from each review's sentences (of 20 characters or more) as extra documents with this
   * weight, labelled as their review, so the weights suit short texts too; null for reviews only.
   * The vocabulary and idf still come from whole reviews.
   */
  sentenceWeight?: number | null;
}

export interface ModelFit {
  model: SentimentModel;
  solver: Omit<LogisticRegressionFit, 'weights' | 'intercept'>;
  /** Milliseconds spent vectorizing and solving. */
  timings: { vectorizeMs: number; solveMs: number };
}

/**
 * Fits TF-IDF features and a logistic regression to labelled texts.
 *
 * @param labels 1 for positive, 0 for negative; both must occur.
 */
export interface FitProgress {
  /** Documents counted so far, of `total`. */
  vectorizing?: (done: number, total: number) => void;
  /** After each Newton iteration. */
  solving?: (iteration: number, relativeGradientNorm: number) => void;
}

export function fitSentimentModel(
  texts: readonly string[],
  labels: ArrayLike<number>,
  options: ModelOptions,
  metadata: ModelMetadata = {},
  progress: FitProgress = {},
  /** Per-text weights on the loss (a source's `--weight`); all 1 when absent. */
  sampleWeights?: ArrayLike<number>,
): ModelFit {
  if (texts.length !== labels.length) throw new RangeError('one label per text is required');
  if (sampleWeights && sampleWeights.length !== texts.length)
    throw new RangeError('one sample weight per text is required');
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) throw new RangeError(`label ${i} is ${labels[i]}, not 0 or 1`);
    positives += labels[i];
  }
  if (positives === 0 || positives === labels.length) {
    throw new RangeError('both classes must occur in the training data');
  }
  const started = performance.now();
  const { vectorizer, matrix } = TfidfVectorizer.fitTransform(texts, options.tfidf, progress.vectorizing);
  let features: CsrMatrix = matrix;
  let rowLabels: ArrayLike<number> = labels;
  let rowWeights: ArrayLike<number> | undefined = sampleWeights;
  const sentenceWeight = options.sentenceWeight ?? null;
  if (sentenceWeight !== null) {
    if (!(sentenceWeight > 0 && Number.isFinite(sentenceWeight)))
      throw new RangeError(`sentenceWeight must be > 0, got ${sentenceWeight}`);
    const sentences: string[] = [];
    const sentenceLabels: number[] = [];
    const weights: number[] = [];
    texts.forEach((text, i) => {
      for (const sentence of splitSentences(text)) {
        sentences.push(sentence);
        sentenceLabels.push(labels[i]);
        weights.push(sentenceWeight * (sampleWeights ? sampleWeights[i] : 1));
      }
    });
    features = stackRows([matrix, vectorizer.transform(sentences)]);
    rowLabels = Uint8Array.from([...Array.from(labels), ...sentenceLabels]);
    rowWeights = Float64Array.from([
      ...(sampleWeights ? Array.from(sampleWeights) : new Array<number>(texts.length).fill(1)),
      ...weights,
    ]);
  }
  let scale: Float64Array | null = null;
  if (options.naiveBayesAlpha !== null) {
    scale = logCountRatio(matrix, labels, options.naiveBayesAlpha);
    features = features.scaleColumns(scale);
  }
  const vectorized = performance.now();
  const { weights, intercept, ...solver } = fitLogisticRegression(
    features,
    rowLabels,
    { ...DEFAULT_LOGISTIC_REGRESSION, ...options.logisticRegression },
    progress.solving,
    rowWeights,
  );
  const solved = performance.now();
  if (scale !== null) for (let j = 0; j < weights.length; j++) weights[j] *= scale[j];
  const { analyzer, vocabulary, weighting } = vectorizer;
  const model = new SentimentModel(
    {
      analyzer: analyzer.options,
      weighting: weighting.options,
      vocabulary,
      idf: weighting.idf,
      weights,
      intercept,
    },
    metadata,
  );
  return { model, solver, timings: { vectorizeMs: vectorized - started, solveMs: solved - vectorized } };
}
