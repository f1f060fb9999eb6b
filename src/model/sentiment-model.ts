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

/**
 * Per-term values as a model file stores them, used as they are: a loaded model predicts without
 * expanding them (433,177 terms make 5 MB of fresh arrays and some 10 ms of a cold start).
 */
export interface CompactValues {
  /** int16 weights: weight j is `Math.fround(values[j] * scale)`. */
  weights?: { values: Int16Array; scale: number };
  /** An idf palette: idf j is `palette[index[j]]`, every index within the palette. */
  idf?: { palette: Float64Array | Float32Array; index: Uint8Array | Uint16Array | Uint32Array };
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
  private readonly quantized: { values: Int16Array; scale: number } | null;

  /**
   * `compact` gives weights or idf as a file stores them; `parameters` then holds them expanded only
   * when read (a getter), and predictions use the compact form, with the same values.
   */
  constructor(
    readonly parameters: ModelParameters,
    readonly metadata: ModelMetadata = {},
    compact: CompactValues = {},
  ) {
    const { vocabulary, weighting } = parameters;
    this.quantized = compact.weights ?? null;
    const weightCount = this.quantized ? this.quantized.values.length : parameters.weights.length;
    if (weightCount !== vocabulary.size) throw new RangeError('one weight per vocabulary term is required');
    const idf = compact.idf ? compact.idf.palette : parameters.idf;
    if (weighting.useIdf !== (idf !== null))
      throw new RangeError('idf must be given exactly when useIdf is set');
    const idfCount = compact.idf ? compact.idf.index.length : (idf?.length ?? 0);
    if (idf !== null && idfCount !== vocabulary.size) throw new RangeError('one idf per term is required');
    this.analyzer = new Analyzer(parameters.analyzer);
    this.weighting = new Weighting(weighting, idf, compact.idf?.index ?? null);
    this.counter = new TermCounter(this.analyzer, vocabulary);
  }

  /** Term `id`'s weight. */
  private weight(id: number): number {
    const q = this.quantized;
    return q ? Math.fround(q.values[id] * q.scale) : this.parameters.weights[id];
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
    let z = this.parameters.intercept;
    const q = this.quantized;
    if (q) {
      const { values: weights, scale } = q;
      for (let k = 0; k < length; k++) z += Math.fround(weights[ids[k]] * scale) * values[k];
    } else {
      const weights = this.parameters.weights;
      for (let k = 0; k < length; k++) z += weights[ids[k]] * values[k];
    }
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
    const slope = this.parameters.calibration?.slope ?? 1;
    // The k strongest per side in one pass (cost linear in the text, whatever k), not a sort of all.
    const positive = new TopK(k);
    const negative = new TopK(k);
    for (let i = 0; i < length; i++) {
      const contribution = slope * this.weight(ids[i]) * values[i];
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
