import { dequantizeWeights, quantizeWeights } from '../model/artifact.js';
import { SentimentModel, sigmoid } from '../model/sentiment-model.js';
import { CsrMatrix } from '../model/sparse.js';

/** What int16 weights must keep, against float32, to be used: labels and probabilities. */
export const INT16_LIMITS = { agreement: 0.9999, maxProbabilityChange: 1e-3 };

export interface WeightStorage {
  /** The model as it will be saved: with int16-rounded weights when they keep the answers. */
  model: SentimentModel;
  precision: 'int16' | 'float32';
  check: { texts: number; agreement: number; maxProbabilityChange: number };
}

/**
 * Chooses how a model trained here stores its weights: int16 (half of float32) when, on `sample`, the
 * labels agree on at least 99.99% and no probability moves by more than 0.001; float32 otherwise.
 * `sample` is texts, or their feature rows when the fit already computed them (no second tokenizing).
 * The model returned is the one that will be saved, so metrics computed on it are the file's own.
 */
export function chooseWeightStorage(
  model: SentimentModel,
  sample: readonly string[] | CsrMatrix,
): WeightStorage {
  const { weights, intercept } = model.parameters;
  const { values, scale } = quantizeWeights(weights);
  const rounded = dequantizeWeights(values, scale);
  let agree = 0;
  let maxProbabilityChange = 0;
  const compare = (ids: Uint32Array, features: Float64Array, from: number, to: number) => {
    let a = intercept;
    let b = intercept;
    for (let k = from; k < to; k++) {
      a += weights[ids[k]] * features[k];
      b += rounded[ids[k]] * features[k];
    }
    const [za, zb] = [model.calibrate(a), model.calibrate(b)];
    if (za > 0 === zb > 0) agree++;
    maxProbabilityChange = Math.max(maxProbabilityChange, Math.abs(sigmoid(za) - sigmoid(zb)));
  };
  let count: number;
  if (sample instanceof CsrMatrix) {
    count = sample.rows;
    for (let i = 0; i < sample.rows; i++)
      compare(sample.indices, sample.data, sample.indptr[i], sample.indptr[i + 1]);
  } else {
    count = sample.length;
    for (const text of sample) {
      const { ids, values: features, length } = model.features(text);
      compare(ids, features, 0, length);
    }
  }
  const agreement = count === 0 ? 0 : agree / count;
  const check = { texts: count, agreement, maxProbabilityChange };
  const faithful =
    count > 0 &&
    agreement >= INT16_LIMITS.agreement &&
    maxProbabilityChange <= INT16_LIMITS.maxProbabilityChange;
  if (!faithful) return { model, precision: 'float32', check };
  const quantized = new SentimentModel({ ...model.parameters, weights: rounded }, model.metadata);
  quantized.metadata.weightPrecision = 'int16';
  return { model: quantized, precision: 'int16', check };
}
