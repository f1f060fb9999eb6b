import { Analyzer, type AnalyzerOptions } from '../text/analyzer.js';
import type { TermTable } from '../text/term-table.js';
import type { Calibration } from './calibration.js';
import type { Prediction } from './prediction.js';
import { TermCounter, Weighting, type WeightingOptions } from './vectorizer.js';

export type { Prediction, Sentiment } from './prediction.js';

export interface Contribution {
  ngram: string;
  /** weight × feature value: its push on the log-odds of "positive". */
  contribution: number;
}

export interface Explanation {
  prediction: Prediction;
  /** The intercept: the log-odds before any n-gram is seen (after calibration, when there is one). */
  intercept: number;
  /** The n-grams that pushed hardest towards positive, strongest first. */
  positive: Contribution[];
  /** The n-grams that pushed hardest towards negative, strongest first. */
  negative: Contribution[];
}

/** Contributions smaller than this (in log-odds) are left out of explanations: they decide nothing. */
export const NEGLIGIBLE_CONTRIBUTION = 0.01;

/** Everything that decides a model's answers. */
export interface ModelParameters {
  analyzer: AnalyzerOptions;
  weighting: WeightingOptions;
  vocabulary: TermTable;
  /** Per-term idf (when `weighting.useIdf`). */
  idf: Float64Array | Float32Array | null;
  /** Per-term weights, any Naive-Bayes scaling already folded in. */
  weights: Float64Array | Float32Array;
  intercept: number;
  /** A map from the raw log-odds to calibrated log-odds, fitted on a user's own labelled sample. */
  calibration?: Calibration | null;
}

/** Free-form facts about a model: how it was trained, on what, how well it did. */
export type ModelMetadata = Record<string, unknown>;

/**
 * A trained sentiment model: TF-IDF features and a logistic regression. Predicting a text costs time
 * linear in its length.
 *
 * @example
 * const model = decodeModel(bytes);
 * model.predict('A joy from start to finish.'); // { sentiment: 'positive', confidence: 0.97, ... }
 */
export class SentimentModel {
  readonly analyzer: Analyzer;
  private readonly weighting: Weighting;
  private readonly counter: TermCounter;

  constructor(
    readonly parameters: ModelParameters,
    readonly metadata: ModelMetadata = {},
  ) {
    const { vocabulary, idf, weights, weighting } = parameters;
    if (weights.length !== vocabulary.size)
      throw new RangeError('one weight per vocabulary term is required');
    if (weighting.useIdf !== (idf !== null))
      throw new RangeError('idf must be given exactly when useIdf is set');
    if (idf !== null && idf.length !== vocabulary.size) throw new RangeError('one idf per term is required');
    this.analyzer = new Analyzer(parameters.analyzer);
    this.weighting = new Weighting(weighting, idf);
    this.counter = new TermCounter(this.analyzer, vocabulary);
  }

  get vocabularySize(): number {
    return this.parameters.vocabulary.size;
  }

  /** Characters the last text had after preprocessing: what its prediction cost is linear in. */
  get analyzedChars(): number {
    return this.counter.analyzedChars;
  }

  /**
   * The raw log-odds of "positive" for `text`, before calibration; leaves the text's features in the
   * counter. A text over `maxChars` once preprocessed is refused with `AnalysisBudgetError`.
   */
  rawScore(text: string, maxChars?: number): number {
    const { ids, values, length } = this.features(text, maxChars);
    const weights = this.parameters.weights;
    let z = this.parameters.intercept;
    for (let k = 0; k < length; k++) z += weights[ids[k]] * values[k];
    return z;
  }

  /**
   * The TF-IDF features of `text`: `values[k]` for vocabulary term `ids[k]`, k < `length`. The arrays
   * are the model's own buffers, valid until its next call.
   */
  features(text: string, maxChars?: number): { ids: Uint32Array; values: Float64Array; length: number } {
    const { counter, weighting } = this;
    counter.count(text, maxChars);
    weighting.apply(counter.ids, counter.values, counter.length);
    return counter;
  }

  predict(text: string, maxChars?: number): Prediction {
    return this.toPrediction(this.rawScore(text, maxChars));
  }

  /** Calibrated log-odds from raw ones (the identity without a calibration). */
  calibrate(z: number): number {
    const c = this.parameters.calibration;
    return c ? c.slope * z + c.intercept : z;
  }

  private toPrediction(raw: number): Prediction {
    const { known, unknown } = this.counter;
    const total = known + unknown;
    const z = this.calibrate(raw);
    const probabilityPositive = sigmoid(z);
    // scikit-learn's `predict`: positive only when the decision function is above zero.
    const positive = z > 0;
    return {
      sentiment: positive ? 'positive' : 'negative',
      confidence: positive ? probabilityPositive : 1 - probabilityPositive,
      probabilityPositive,
      priorOnly: known === 0,
      coverage: total === 0 ? 0 : known / total,
      knownNgrams: known,
    };
  }

  predictBatch(texts: readonly string[]): Prediction[] {
    return texts.map((text) => this.predict(text));
  }

  /**
   * The prediction and the `k` n-grams that pushed hardest towards each class, in calibrated log-odds
   * (with the intercept, they sum to the prediction's log-odds); pushes under
   * `NEGLIGIBLE_CONTRIBUTION` are left out.
   */
  explain(text: string, k = 5, maxChars?: number): Explanation {
    const z = this.rawScore(text, maxChars);
    const { ids, values, length } = this.counter;
    const weights = this.parameters.weights;
    const slope = this.parameters.calibration?.slope ?? 1;
    // The k strongest per side in one pass (cost linear in the text, whatever k), not a sort of all.
    const positive = new TopK(k);
    const negative = new TopK(k);
    for (let i = 0; i < length; i++) {
      const contribution = slope * weights[ids[i]] * values[i];
      if (contribution >= NEGLIGIBLE_CONTRIBUTION) positive.offer(ids[i], contribution);
      else if (contribution <= -NEGLIGIBLE_CONTRIBUTION) negative.offer(ids[i], -contribution);
    }
    const vocabulary = this.parameters.vocabulary;
    const named = (top: TopK, sign: number): Contribution[] =>
      top.sorted().map(({ id, strength }) => ({ ngram: vocabulary.term(id), contribution: sign * strength }));
    return {
      prediction: this.toPrediction(z),
      intercept: this.calibrate(this.parameters.intercept),
      positive: named(positive, 1),
      negative: named(negative, -1),
    };
  }
}

/** The logistic function, stable for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** The k largest strengths offered, ties to the smaller id (a stable order for equal pushes). */
class TopK {
  private readonly items: Array<{ id: number; strength: number }> = [];
  constructor(private readonly k: number) {}

  private before(a: { id: number; strength: number }, strength: number, id: number): boolean {
    return a.strength > strength || (a.strength === strength && a.id < id);
  }

  offer(id: number, strength: number): void {
    const { items, k } = this;
    if (k <= 0) return;
    if (items.length === k && this.before(items[k - 1], strength, id)) return;
    // Insertion into a list of at most k (k ≤ 50 in the API): cheap next to the text's analysis.
    let at = items.length === k ? k - 1 : items.length;
    if (items.length < k) items.push({ id, strength });
    while (at > 0 && !this.before(items[at - 1], strength, id)) {
      items[at] = items[at - 1];
      at--;
    }
    items[at] = { id, strength };
  }

  sorted(): Array<{ id: number; strength: number }> {
    return this.items;
  }
}
