/** The sentiment a model decides between. */
export type Sentiment = 'positive' | 'negative';

/** What the model computes for one text. */
export interface Prediction {
  sentiment: Sentiment;
  /** Probability of the predicted class, in [0.5, 1]. */
  confidence: number;
  probabilityPositive: number;
  /** True when the text had no known n-gram, so the answer is the intercept's prior alone. */
  priorOnly: boolean;
  /** The share of the text's n-grams (with repeats) the model knows, in [0, 1]; 0 for no n-gram. */
  coverage: number;
  /** How many of the text's n-grams the model knows (with repeats). */
  knownNgrams: number;
}

/** When an answer counts as "don't know", and whether to say so in `sentiment`. */
export interface AbstentionPolicy {
  /** Abstain below this coverage (and always when nothing is known). */
  minCoverage: number;
  /** Answer `"unknown"` instead of positive/negative when abstaining. */
  abstain: boolean;
}

/**
 * Below 40% of its n-grams known, a text is mostly outside what the model learned: gibberish, another
 * language, jargon. With the `default` model, 0.0% of IMDb test reviews and 0.6% of rt-polarity
 * snippets fall below it, against 80% of French reviews and all keyboard gibberish
 * (bench/results/coverage.md).
 */
export const DEFAULT_MIN_COVERAGE = 0.4;

export const DEFAULT_ABSTENTION: AbstentionPolicy = { minCoverage: DEFAULT_MIN_COVERAGE, abstain: false };

/**
 * One prediction as every surface reports it (API, CLI, batch files): the same fields everywhere.
 * `abstained` is always present; `sentiment` is `"unknown"` only when abstaining is switched on.
 */
export interface PredictionResult {
  sentiment: Sentiment | 'unknown';
  confidence: number;
  probabilityPositive: number;
  priorOnly: boolean;
  coverage: number;
  abstained: boolean;
}

export function toResult(
  prediction: Prediction,
  policy: AbstentionPolicy = DEFAULT_ABSTENTION,
): PredictionResult {
  const { sentiment, confidence, probabilityPositive, priorOnly, coverage } = prediction;
  const abstained = priorOnly || coverage < policy.minCoverage;
  return {
    sentiment: abstained && policy.abstain ? 'unknown' : sentiment,
    confidence,
    probabilityPositive,
    priorOnly,
    coverage,
    abstained,
  };
}
