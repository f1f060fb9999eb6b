import { Analyzer, type AnalyzerOptions } from '../text/analyzer.js';
import type { TermTable } from '../text/term-table.js';
import { TermCounter, Weighting, type WeightingOptions } from './vectorizer.js';

export type Sentiment = 'positive' | 'negative';

export interface Prediction {
  sentiment: Sentiment;
  /** Probability of the predicted class, in [0.5, 1]. */
  confidence: number;
  probabilityPositive: number;
  /** How many of the text's n-grams the model knows (with repeats). */
  knownNgrams: number;
  /** True when the text had no known n-gram, so the answer is the intercept's prior alone. */
  priorOnly: boolean;
}

export interface Contribution {
  ngram: string;
  /** weight × feature value: its push on the log-odds of "positive". */
  contribution: number;
}

export interface Explanation {
  prediction: Prediction;
  /** The intercept: the log-odds before any n-gram is seen. */
  intercept: number;
  /** The n-grams that pushed hardest towards positive, strongest first. */
  positive: Contribution[];
  /** The n-grams that pushed hardest towards negative, strongest first. */
  negative: Contribution[];
}

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
    this.counter = new TermCounter(this.analyzer, vocabulary, false);
  }

  get vocabularySize(): number {
    return this.parameters.vocabulary.size;
  }

  /** The log-odds of "positive" for `text`; leaves the text's features in the counter. */
  private score(text: string): number {
    const { counter, weighting } = this;
    counter.count(text);
    weighting.apply(counter.ids, counter.values, counter.length);
    const weights = this.parameters.weights;
    let z = this.parameters.intercept;
    for (let k = 0; k < counter.length; k++) z += weights[counter.ids[k]] * counter.values[k];
    return z;
  }

  predict(text: string): Prediction {
    const z = this.score(text);
    return toPrediction(z, this.counter.known);
  }

  predictBatch(texts: readonly string[]): Prediction[] {
    return texts.map((text) => this.predict(text));
  }

  /** The prediction and the `k` n-grams that pushed hardest towards each class. */
  explain(text: string, k = 5): Explanation {
    const z = this.score(text);
    const { ids, values, length } = this.counter;
    const weights = this.parameters.weights;
    const contributions: Array<{ id: number; contribution: number }> = [];
    for (let i = 0; i < length; i++)
      contributions.push({ id: ids[i], contribution: weights[ids[i]] * values[i] });
    const vocabulary = this.parameters.vocabulary;
    const top = (sign: 1 | -1): Contribution[] =>
      contributions
        .filter((c) => sign * c.contribution > 0)
        .sort((a, b) => sign * (b.contribution - a.contribution) || a.id - b.id)
        .slice(0, k)
        .map((c) => ({ ngram: vocabulary.term(c.id), contribution: c.contribution }));
    return {
      prediction: toPrediction(z, this.counter.known),
      intercept: this.parameters.intercept,
      positive: top(1),
      negative: top(-1),
    };
  }
}

/** The logistic function, stable for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

function toPrediction(z: number, knownNgrams: number): Prediction {
  const probabilityPositive = sigmoid(z);
  // scikit-learn's `predict`: positive only when the decision function is above zero.
  const positive = z > 0;
  return {
    sentiment: positive ? 'positive' : 'negative',
    confidence: positive ? probabilityPositive : 1 - probabilityPositive,
    probabilityPositive,
    knownNgrams,
    priorOnly: knownNgrams === 0,
  };
}
