import type { Dataset } from '../data/dataset.js';
import type { SentimentModel } from '../model/sentiment-model.js';
import { computeMetrics, type Metrics } from './metrics.js';

/** Scores every review of a dataset. */
export function scoreDataset(model: SentimentModel, texts: readonly string[]): Float64Array {
  const probabilities = new Float64Array(texts.length);
  for (let i = 0; i < texts.length; i++) probabilities[i] = model.predict(texts[i]).probabilityPositive;
  return probabilities;
}

export interface Evaluation {
  metrics: Metrics;
  probabilities: Float64Array;
  labels: Uint8Array;
}

export function evaluateModel(model: SentimentModel, dataset: Pick<Dataset, 'texts' | 'labels'>): Evaluation {
  const probabilities = scoreDataset(model, dataset.texts);
  return { metrics: computeMetrics(dataset.labels, probabilities), probabilities, labels: dataset.labels };
}
