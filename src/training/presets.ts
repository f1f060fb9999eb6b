import type { ModelOptions } from '../model/fit.js';
import { DEFAULT_LOGISTIC_REGRESSION } from '../model/logistic-regression.js';
import { SKLEARN_TFIDF } from '../model/vectorizer.js';

export type PresetName = 'seed' | 'default' | 'accurate';

/**
 * - `seed`: the original: scikit-learn's defaults, unigrams, C = 1.
 * - `default`: uni+bigrams of tokens of one or more characters (`token_pattern=r"(?u)\b\w+\b"`, which
 *   keeps ratings such as "7/10"), sublinear tf, min_df 2, HTML stripped; logistic regression with
 *   C = 3 fitted on the reviews plus their sentences (weight 0.3), blended 1:3 with NB-LR (C = 10);
 *   the intercept re-centred on the training sentences (`sentencePrior`). One linear model.
 * - `accurate`: the same over 1-3-grams.
 *
 * Chosen for the text users send, not only long reviews: each candidate was fitted on 90% of IMDb's
 * training set and scored on the other 10% ("val", the split `train` holds out) and on the *choosing*
 * half of rt-polarity (5,331 one-sentence snippets, a stratified seeded split; the other half only
 * reports). The rule: the best rt-polarity accuracy among candidates with IMDb validation ≥ 91.75%
 * (`default`) or ≥ 92.25% (`accurate`), margins of ~0.7 points over the targets for IMDb test (91.0%
 * and 91.5%), the gap seen between validation and test for NB-LR. `bench/domain-search.ts` reruns it;
 * figures as val / rt-choose, with the share predicted positive on rt (50% are):
 * - NB-LR uni+bi C = 10 (the previous `default`): 92.24 / 72.38%, 67.1% positive;
 * - plain LR uni+bi C = 10 (scikit-learn's uni+bi): 90.96 / 73.51%;
 * - LR + sentences (weight 0.3) C = 1 / 3: 90.80 / 74.48%, 91.20 / 75.52%; weight 0.15 / 0.5 / 1
 *   at C = 3: 91.60 / 75.35%, 91.08 / 75.31%, 90.88 / 74.90%; C = 10 / 30: 91.32 / 74.71%, 91.32 / 73.30%;
 * - NB-LR + sentences C = 3 / 10: 91.72 / 75.25%, 91.40 / 74.78%;
 * - blends (share of NB-LR C = 10) with LR + sentences C = 3: 0.25: 92.00 / 75.65%, 0.5: 92.32 / 75.33%,
 *   59-62% positive on rt;
 * - the same blends with the sentence prior: 0.25: 92.00 / 76.15% (chosen for `default`), 0.5: 92.56 /
 *   75.95%; it brings the positive share on rt to 56-57% and never cost validation accuracy;
 * - 1-3-grams: NB-LR C = 100 92.84 / 73.32%; LR + sentences C = 3: 91.56 / 75.48%; blend 0.25
 *   with the sentence prior: 92.64 / 76.42% (chosen for `accurate`); blend 0.5: 93.00 / 76.17%.
 * NB-LR alone leans positive on short texts (67% on rt) and, per the quality issue, collapses on tweets;
 * sentences as training documents teach the weights what one-line texts look like.
 */
const UNI_BI: ModelOptions['tfidf'] = {
  ...SKLEARN_TFIDF,
  ngramRange: [1, 2],
  minDf: 2,
  sublinearTf: true,
  stripHtml: true,
  tokenPattern: 'single-character',
};

const SHORT_TEXT_READY = {
  logisticRegression: { ...DEFAULT_LOGISTIC_REGRESSION, C: 3 },
  naiveBayesAlpha: null,
  sentenceWeight: 0.3,
  naiveBayesBlend: { share: 0.25, C: 10, alpha: 1 },
  sentencePrior: true,
} satisfies Omit<ModelOptions, 'tfidf'>;

export const PRESETS: Record<PresetName, ModelOptions> = {
  seed: {
    tfidf: SKLEARN_TFIDF,
    logisticRegression: { ...DEFAULT_LOGISTIC_REGRESSION, C: 1 },
    naiveBayesAlpha: null,
  },
  default: { tfidf: UNI_BI, ...SHORT_TEXT_READY },
  accurate: { tfidf: { ...UNI_BI, ngramRange: [1, 3] }, ...SHORT_TEXT_READY },
};

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}
