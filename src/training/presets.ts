import type { ModelOptions } from '../model/fit.js';
import { DEFAULT_LOGISTIC_REGRESSION } from '../model/logistic-regression.js';
import { SKLEARN_TFIDF } from '../model/vectorizer.js';

export type PresetName = 'seed' | 'default' | 'accurate';

/**
 * - `seed`: the original: scikit-learn's defaults, unigrams, C = 1.
 * - `default`: uni+bigrams with sublinear tf and min_df 2, HTML stripped, C chosen on a validation split.
 * - `accurate`: NB-LR (Naive-Bayes-scaled features) over 1-3-grams.
 */
export const PRESETS: Record<PresetName, ModelOptions> = {
  seed: {
    tfidf: SKLEARN_TFIDF,
    logisticRegression: { ...DEFAULT_LOGISTIC_REGRESSION, C: 1 },
    naiveBayesAlpha: null,
  },
  default: {
    tfidf: { ...SKLEARN_TFIDF, ngramRange: [1, 2], minDf: 2, sublinearTf: true, stripHtml: true },
    logisticRegression: { ...DEFAULT_LOGISTIC_REGRESSION, C: 10 },
    naiveBayesAlpha: null,
  },
  accurate: {
    tfidf: { ...SKLEARN_TFIDF, ngramRange: [1, 3], minDf: 2, sublinearTf: true, stripHtml: true },
    logisticRegression: { ...DEFAULT_LOGISTIC_REGRESSION, C: 10 },
    naiveBayesAlpha: 1,
  },
};

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}
