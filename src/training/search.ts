import { fitTfidf } from '../model/count-ngrams.js';
import type { ModelOptions } from '../model/fit.js';
import { type ColumnProductsFactory, fitLogisticRegression } from '../model/logistic-regression.js';
import { logCountRatio } from '../model/naive-bayes.js';
import { ColumnScaledMatrix, type ColumnSource } from '../model/sparse.js';

export interface SearchTrial {
  ngramRange: [number, number];
  C: number;
  validationAccuracy: number;
}

export const C_GRID = [0.3, 1, 3, 10, 30, 100];

/**
 * Chooses C (and the n-gram range) by accuracy on a validation split carved out of the training
 * data. Each n-gram range is vectorized once and shared by every C.
 */
export function searchHyperparameters(
  train: { texts: readonly string[]; labels: Uint8Array },
  validation: { texts: readonly string[]; labels: Uint8Array },
  base: ModelOptions,
  log: (line: string) => void,
  /** Where the solver's products run (on threads: `threadedColumnProducts`); here by default. */
  products?: ColumnProductsFactory,
): { best: ModelOptions; trials: SearchTrial[] } {
  const [, maxN] = base.tfidf.ngramRange;
  const ranges: Array<[number, number]> = [];
  for (let n = 1; n <= Math.max(2, maxN); n++) ranges.push([1, n]);
  const trials: SearchTrial[] = [];
  for (const ngramRange of ranges) {
    const tfidf = { ...base.tfidf, ngramRange };
    const { vectorizer, matrix } = fitTfidf(train.texts, tfidf);
    let features: ColumnSource = matrix;
    let validationFeatures = vectorizer.transform(validation.texts);
    if (base.naiveBayesAlpha !== null) {
      const scale = logCountRatio(matrix, train.labels, base.naiveBayesAlpha);
      features = new ColumnScaledMatrix(matrix, scale);
      validationFeatures = validationFeatures.scaleColumns(scale);
    }
    for (const C of C_GRID) {
      const fit = fitLogisticRegression(
        features,
        train.labels,
        { ...base.logisticRegression, C },
        undefined,
        undefined,
        products,
      );
      const scores = validationFeatures.multiply(fit.weights);
      let correct = 0;
      scores.forEach((z, i) => {
        if ((z + fit.intercept > 0 ? 1 : 0) === validation.labels[i]) correct++;
      });
      const validationAccuracy = correct / validation.labels.length;
      trials.push({ ngramRange, C, validationAccuracy });
      log(
        `search: n-grams ${ngramRange.join('-')}, C ${C}: validation accuracy ${(validationAccuracy * 100).toFixed(2)}%`,
      );
    }
  }
  // Highest accuracy; ties go to the smaller model (shorter n-grams), then the stronger penalty.
  const winner = trials.reduce((best, t) => (t.validationAccuracy > best.validationAccuracy ? t : best));
  return {
    best: {
      ...base,
      tfidf: { ...base.tfidf, ngramRange: winner.ngramRange },
      logisticRegression: { ...base.logisticRegression, C: winner.C },
    },
    trials,
  };
}
