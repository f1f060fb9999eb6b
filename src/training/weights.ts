import { dequantizeWeights, quantizeWeights } from '../model/artifact.js';
import { SentimentModel } from '../model/sentiment-model.js';

/** What int16 weights must keep, against float32, to be used: labels and probabilities. */
export const INT16_LIMITS = { agreement: 0.9999, maxProbabilityChange: 1e-3 };

export interface WeightStorage {
  /** The model as it will be saved: with int16-rounded weights when they keep the answers. */
  model: SentimentModel;
  precision: 'int16' | 'float32';
  check: { texts: number; agreement: number; maxProbabilityChange: number };
}

/**
 * Chooses how a model trained here stores its weights: int16 (half of float32) when, on `texts`, the
 * labels agree on at least 99.99% and no probability moves by more than 0.001; float32 otherwise.
 * The model returned is the one that will be saved, so metrics computed on it are the file's own.
 */
export function chooseWeightStorage(model: SentimentModel, texts: readonly string[]): WeightStorage {
  const { values, scale } = quantizeWeights(model.parameters.weights);
  const quantized = new SentimentModel(
    { ...model.parameters, weights: dequantizeWeights(values, scale) },
    model.metadata,
  );
  let agree = 0;
  let maxProbabilityChange = 0;
  for (const text of texts) {
    const a = model.predict(text);
    const b = quantized.predict(text);
    if (a.sentiment === b.sentiment) agree++;
    maxProbabilityChange = Math.max(
      maxProbabilityChange,
      Math.abs(a.probabilityPositive - b.probabilityPositive),
    );
  }
  const agreement = texts.length === 0 ? 0 : agree / texts.length;
  const check = { texts: texts.length, agreement, maxProbabilityChange };
  const faithful =
    texts.length > 0 &&
    agreement >= INT16_LIMITS.agreement &&
    maxProbabilityChange <= INT16_LIMITS.maxProbabilityChange;
  if (!faithful) return { model, precision: 'float32', check };
  quantized.metadata.weightPrecision = 'int16';
  return { model: quantized, precision: 'int16', check };
}
