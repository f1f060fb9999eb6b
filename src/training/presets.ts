import type { ModelOptions } from '../model/fit.js';
import { DEFAULT_LOGISTIC_REGRESSION } from '../model/logistic-regression.js';
import { SKLEARN_TFIDF } from '../model/vectorizer.js';

export type PresetName = 'seed' | 'default' | 'accurate';

/**
 * - `seed`: the original: scikit-learn's defaults, unigrams, C = 1.
 * - `default`: NB-LR (features scaled by Naive-Bayes log-count ratios) over uni+bigrams of tokens of
 *   one or more characters (`token_pattern=r"(?u)\b\w+\b"`, which keeps ratings such as "7/10"),
 *   sublinear tf, min_df 2, HTML stripped, C = 10.
 * - `accurate`: the same over 1-3-grams, C = 100.
 *
 * Chosen by accuracy on a validation split of IMDb's training set (last 5,000 of its 25,000 reviews,
 * fitted on the first 20,000), HTML stripped, sublinear tf, min_df 2:
 * - plain LR, uni+bigrams, C = 10: 91.46%;
 * - NB-LR, uni+bigrams, C = 3 / 10 / 30: 91.84 / 92.28 / 92.24%;
 * - NB-LR, 1-3-grams, C = 10 / 30 / 100 / 300: 92.22 / 92.24 / 92.34 / 92.34%;
 * - NB-LR with one-character tokens: uni+bigrams C = 10: 92.74%; 1-3-grams C = 100: 93.14%.
 */
export const PRESETS: Record<PresetName, ModelOptions> = {
  seed: {
    tfidf: SKLEARN_TFIDF,
    logisticRegression: { ...DEFAULT_LOGISTIC_REGRESSION, C: 1 },
    naiveBayesAlpha: null,
  },
  default: {
    tfidf: {
      ...SKLEARN_TFIDF,
      ngramRange: [1, 2],
      minDf: 2,
      sublinearTf: true,
      stripHtml: true,
      tokenPattern: 'single-character',
    },
    logisticRegression: { ...DEFAULT_LOGISTIC_REGRESSION, C: 10 },
    naiveBayesAlpha: 1,
  },
  accurate: {
    tfidf: {
      ...SKLEARN_TFIDF,
      ngramRange: [1, 3],
      minDf: 2,
      sublinearTf: true,
      stripHtml: true,
      tokenPattern: 'single-character',
    },
    logisticRegression: { ...DEFAULT_LOGISTIC_REGRESSION, C: 100 },
    naiveBayesAlpha: 1,
  },
};

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}
