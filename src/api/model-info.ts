import type { SentimentModel } from '../model/sentiment-model.js';

/** Fewer training reviews than this means the bundled sample, not the full data. */
const FULL_DATA_REVIEWS = 20_000;

export interface ModelInfo {
  preset: string | null;
  trainingReviews: number | null;
  testAccuracy: number | null;
  validationAccuracy: number | null;
  calibrated: boolean;
  /** True when it learned from a small sample (the quick-start model), not the full data. */
  sample: boolean;
  /** One line for people: preset, data, accuracy. */
  summary: string;
}

interface Metadata {
  preset?: string;
  training?: { train?: { documents?: number } };
  metrics?: { test?: { accuracy?: number }; validation?: { accuracy?: number } };
  source?: { kind?: string };
}

/** What a model says about itself, read from its metadata: the same for the banner, /health and the playground. */
export function describeModel(model: SentimentModel): ModelInfo {
  const meta = model.metadata as Metadata;
  const trainingReviews = meta.training?.train?.documents ?? null;
  const testAccuracy = meta.metrics?.test?.accuracy ?? null;
  const validationAccuracy = meta.metrics?.validation?.accuracy ?? null;
  const preset = meta.preset ?? null;
  const sample = trainingReviews !== null && trainingReviews < FULL_DATA_REVIEWS;
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const parts = [
    preset ? `preset ${preset}` : meta.source?.kind ? `imported from ${meta.source.kind}` : 'preset unknown',
    trainingReviews === null
      ? null
      : `trained on ${trainingReviews.toLocaleString('en-US')} reviews${sample ? ' (a small sample)' : ''}`,
    testAccuracy !== null
      ? `test accuracy ${pct(testAccuracy)}`
      : validationAccuracy !== null
        ? `validation accuracy ${pct(validationAccuracy)}`
        : null,
    model.parameters.calibration ? 'calibrated' : null,
  ].filter((p) => p !== null);
  return {
    preset,
    trainingReviews,
    testAccuracy,
    validationAccuracy,
    calibrated: Boolean(model.parameters.calibration),
    sample,
    summary: parts.join(', '),
  };
}
