import type { Dataset } from '../data/dataset.js';
import { SentimentError } from '../errors.js';
import { fitPlatt, MIN_CALIBRATION_ROWS } from '../model/calibration.js';
import { SentimentModel, sigmoid } from '../model/sentiment-model.js';
import { computeMetrics } from './metrics.js';
import { type DataSummary, summarize } from './train.js';

export class CalibrationError extends SentimentError {
  override readonly name = 'CalibrationError';
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('calibration_refused', message, options);
  }
}

export interface CalibrationSummary {
  method: 'platt';
  slope: number;
  intercept: number;
  /** The raw log-odds above which a text is positive: where the calibrated probability is 0.5. */
  threshold: number;
  data: DataSummary;
  /** On the calibration sample itself (in-sample: evaluate on other rows to judge it). */
  before: { accuracy: number; logLoss: number; positiveRate: number };
  after: { accuracy: number; logLoss: number; positiveRate: number };
  /** The model this one was calibrated from. */
  baseVersion: string;
  createdAt: string;
}

/**
 * Fits Platt scaling on a labelled sample of the user's own domain and returns the same model with
 * the calibration attached: weights, vocabulary and idf untouched (an imported scikit-learn model
 * keeps its exact weights). A model already calibrated is recalibrated from its raw scores.
 */
export function calibrateModel(
  model: SentimentModel,
  sample: Pick<Dataset, 'texts' | 'labels' | 'source' | 'skipped'>,
  baseVersion: string,
  createdAt: string,
): { model: SentimentModel; summary: CalibrationSummary } {
  const n = sample.texts.length;
  if (n < MIN_CALIBRATION_ROWS)
    throw new CalibrationError(
      `${sample.source}: ${n} labelled rows; calibration needs at least ${MIN_CALIBRATION_ROWS} (a few hundred is better)`,
    );
  const positives = sample.labels.reduce((s, l) => s + l, 0);
  if (positives === 0 || positives === n)
    throw new CalibrationError(
      `${sample.source}: every row is ${positives === 0 ? 'negative' : 'positive'}; calibration needs both classes`,
    );
  const raw = Float64Array.from(sample.texts, (text) => model.rawScore(text));
  const calibration = fitPlatt(raw, sample.labels);
  if (!(calibration.slope > 0))
    throw new CalibrationError(
      `${sample.source}: the model's scores rank this sample the wrong way round (fitted slope ${calibration.slope.toFixed(4)}); a monotone calibration cannot help: retrain with this domain's data (train --data ... --data yours.csv)`,
    );
  const metadata: Record<string, unknown> = { ...model.metadata };
  const calibrated = new SentimentModel({ ...model.parameters, calibration }, metadata);
  // The same raw scores through each model's own calibration (the identity when it has none).
  const figures = (on: SentimentModel) => {
    const p = raw.map((r) => sigmoid(on.calibrate(r)));
    const m = computeMetrics(sample.labels, p);
    const cm = m.confusionMatrix;
    return {
      accuracy: m.accuracy,
      logLoss: m.logLoss,
      positiveRate: (cm.truePositive + cm.falsePositive) / n,
    };
  };
  const summary: CalibrationSummary = {
    ...calibration,
    threshold: -calibration.intercept / calibration.slope,
    data: summarize(sample as Dataset),
    before: figures(model),
    after: figures(calibrated),
    baseVersion,
    createdAt,
  };
  metadata.calibration = summary;
  return { model: calibrated, summary };
}
