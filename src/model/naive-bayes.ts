import type { CsrMatrix } from './sparse.js';

/**
 * Naive-Bayes log-count ratios (Wang & Manning 2012, "NBSVM"): r = ln((p / ‖p‖₁) / (q / ‖q‖₁)) with
 * p = α + the number of positive rows holding each feature and q the same over negative rows
 * (binarized counts, as in the paper). Scaling feature j by r_j before logistic
 * regression ("NB-LR") gives linear models their largest known lift on IMDb.
 *
 * @param labels 1 for positive, 0 for negative.
 * @param alpha Laplace smoothing.
 */
export function logCountRatio(
  X: CsrMatrix,
  labels: ArrayLike<number>,
  alpha = 1,
  /**
   * How many rows hold each feature, when known (`fromCounts` returns it; its entries are never 0):
   * then only the positive rows are read, and the negative counts are what remains.
   */
  documentFrequency?: Uint32Array,
): Float64Array {
  if (!(alpha > 0)) throw new RangeError(`alpha must be > 0, got ${alpha}`);
  if (documentFrequency && documentFrequency.length !== X.cols)
    throw new RangeError('one document frequency per feature is required');
  // Row counts as integers (half the memory a float64 sum would touch), α added once.
  const positive = new Uint32Array(X.cols);
  const negative = new Uint32Array(X.cols);
  const { indptr, indices, data } = X;
  for (let i = 0; i < X.rows; i++) {
    if (documentFrequency && labels[i] !== 1) continue;
    const counts = labels[i] === 1 ? positive : negative;
    for (let k = indptr[i]; k < indptr[i + 1]; k++) if (data[k] !== 0) counts[indices[k]]++;
  }
  if (documentFrequency) for (let j = 0; j < X.cols; j++) negative[j] = documentFrequency[j] - positive[j];
  let positiveTotal = 0;
  let negativeTotal = 0;
  for (let j = 0; j < X.cols; j++) {
    positiveTotal += alpha + positive[j];
    negativeTotal += alpha + negative[j];
  }
  const ratio = new Float64Array(X.cols);
  for (let j = 0; j < X.cols; j++) {
    ratio[j] = Math.log((alpha + positive[j]) / positiveTotal / ((alpha + negative[j]) / negativeTotal));
  }
  return ratio;
}
