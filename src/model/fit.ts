import { splitSentences } from '../text/sentences.js';
import { countTerms } from './count-ngrams.js';
import {
  type ColumnProductsFactory,
  DEFAULT_LOGISTIC_REGRESSION,
  fitLogisticRegression,
  type LogisticRegressionFit,
  type LogisticRegressionOptions,
} from './logistic-regression.js';
import { logCountRatio } from './naive-bayes.js';
import { type ModelMetadata, SentimentModel } from './sentiment-model.js';
import { appendRows, ColumnScaledMatrix, type CsrMatrix } from './sparse.js';
import { type TermCounts, type TfidfOptions, TfidfVectorizer } from './vectorizer.js';

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
  /**
   * Also fit NB-LR (features scaled by Naive-Bayes log-count ratios with `alpha`, whole reviews only,
   * its own `C`) over the same features and average the log-odds: `share` × NB-LR + (1 − share) ×
   * the model above. Averaging two linear models over one vocabulary is one linear model (the
   * weights are averaged), so the artifact and prediction cost do not change. Null for none.
   */
  naiveBayesBlend?: { share: number; C: number; alpha: number } | null;
  /**
   * Re-center the intercept for short texts: after fitting, shift it so that on the training reviews'
   * sentences (20 characters or more) the share predicted positive equals the share that come from
   * positive reviews. A review-level model leans positive on one-line texts (mildly positive words are
   * common, strongly negative ones rare); long reviews, with scores far from zero, barely move.
   */
  sentencePrior?: boolean;
}

export interface ModelFit {
  model: SentimentModel;
  solver: Omit<LogisticRegressionFit, 'weights' | 'intercept'>;
  /** The training texts' TF-IDF rows (before any Naive-Bayes scaling): the model scores row i as text i. */
  features: CsrMatrix;
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
  /** The texts' n-gram counts when already made (on threads: `countTermsInParallel`); else counted here. */
  counts?: TermCounts,
  /** Where the solver's products run (on threads: `threadedColumnProducts`); here by default. */
  products?: ColumnProductsFactory,
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
  if (counts && counts.raw.rows !== texts.length)
    throw new RangeError('one row of counts per text is required');
  const counted = counts ?? countTerms(texts, options.tfidf, progress.vectorizing);
  // The solver's threads start now, while the features are made, not when the first solve needs them.
  products?.prepare?.(counted.raw.nnz);
  try {
    const { vectorizer, matrix, documentFrequency } = TfidfVectorizer.fromCounts(counted, options.tfidf);
    let features: CsrMatrix = matrix;
    let rowLabels: ArrayLike<number> = labels;
    let rowWeights: ArrayLike<number> | undefined = sampleWeights;
    const sentenceWeight = options.sentenceWeight ?? null;
    if (sentenceWeight !== null && !(sentenceWeight > 0 && Number.isFinite(sentenceWeight)))
      throw new RangeError(`sentenceWeight must be > 0, got ${sentenceWeight}`);
    const sentences = sentenceWeight !== null || options.sentencePrior ? sentencesOf(texts, labels) : null;
    const sentenceMatrix = sentences && vectorizer.transform(sentences.texts);
    if (sentenceWeight !== null && sentences && sentenceMatrix) {
      // Past the reviews' entries, which stay as they are, when the room they were counted into holds
      // the sentences' too; else in fresh memory. Shared either way when the reviews' rows are: the
      // solver's threads then make its column copy together.
      features = appendRows([matrix, sentenceMatrix]);
      rowLabels = Uint8Array.from([...Array.from(labels), ...sentences.labels]);
      rowWeights = Float64Array.from([
        ...(sampleWeights ? Array.from(sampleWeights) : new Array<number>(texts.length).fill(1)),
        ...Array.from(sentences.review, (i) => sentenceWeight * (sampleWeights ? sampleWeights[i] : 1)),
      ]);
    }
    let scale: Float64Array | null = null;
    if (options.naiveBayesAlpha !== null) {
      scale = logCountRatio(matrix, labels, options.naiveBayesAlpha, documentFrequency);
    }
    const vectorized = performance.now();
    const { weights, intercept, ...solver } = fitLogisticRegression(
      scale === null ? features : new ColumnScaledMatrix(features, scale),
      rowLabels,
      { ...DEFAULT_LOGISTIC_REGRESSION, ...options.logisticRegression },
      progress.solving,
      rowWeights,
      products,
    );
    if (scale !== null) for (let j = 0; j < weights.length; j++) weights[j] *= scale[j];
    let finalIntercept = intercept;
    const blend = options.naiveBayesBlend ?? null;
    if (blend !== null) {
      if (!(blend.share > 0 && blend.share < 1))
        throw new RangeError(`blend share must be in (0, 1), got ${blend.share}`);
      const ratio = logCountRatio(matrix, labels, blend.alpha, documentFrequency);
      const nb = fitLogisticRegression(
        new ColumnScaledMatrix(matrix, ratio),
        labels,
        { ...DEFAULT_LOGISTIC_REGRESSION, ...options.logisticRegression, C: blend.C },
        progress.solving,
        sampleWeights,
        products,
      );
      for (let j = 0; j < weights.length; j++)
        weights[j] = (1 - blend.share) * weights[j] + blend.share * nb.weights[j] * ratio[j];
      finalIntercept = (1 - blend.share) * intercept + blend.share * nb.intercept;
      solver.iterations += nb.iterations;
      solver.hessianProducts += nb.hessianProducts;
      solver.converged &&= nb.converged;
      solver.gradientNorm = Math.max(solver.gradientNorm, nb.gradientNorm);
    }
    if (options.sentencePrior && sentences && sentenceMatrix)
      finalIntercept += sentencePriorShift(sentenceMatrix, sentences.labels, weights, finalIntercept);
    const solved = performance.now();
    const { analyzer, vocabulary, weighting } = vectorizer;
    const model = new SentimentModel(
      {
        analyzer: analyzer.options,
        weighting: weighting.options,
        vocabulary,
        idf: weighting.idf,
        weights,
        intercept: finalIntercept,
      },
      metadata,
    );
    return {
      model,
      solver,
      features: matrix,
      timings: { vectorizeMs: vectorized - started, solveMs: solved - vectorized },
    };
  } finally {
    products?.release?.();
  }
}

/** Each review's sentences, labelled as their review, with the review's index. */
export function sentencesOf(texts: readonly string[], labels: ArrayLike<number>) {
  const out: string[] = [];
  const sentenceLabels: number[] = [];
  const review: number[] = [];
  texts.forEach((text, i) => {
    for (const sentence of splitSentences(text)) {
      out.push(sentence);
      sentenceLabels.push(labels[i]);
      review.push(i);
    }
  });
  return { texts: out, labels: Uint8Array.from(sentenceLabels), review: Uint32Array.from(review) };
}

/** The intercept shift that makes the share of sentences scored positive equal their positive share. */
function sentencePriorShift(
  sentences: CsrMatrix,
  labels: Uint8Array,
  weights: Float64Array,
  intercept: number,
): number {
  const scores = sentences.multiply(weights);
  for (let i = 0; i < scores.length; i++) scores[i] += intercept;
  scores.sort();
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i];
  const negatives = labels.length - positives;
  // The score below which the negative share of sentences falls: move it to zero.
  if (negatives === 0 || positives === 0) return 0;
  return -(scores[negatives - 1] + scores[negatives]) / 2;
}
