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
export function logCountRatio(X: CsrMatrix, labels: ArrayLike<number>, alpha = 1): Float64Array {
  if (!(alpha > 0)) throw new RangeError(`alpha must be > 0, got ${alpha}`);
  const positive = new Float64Array(X.cols).fill(alpha);
  const negative = new Float64Array(X.cols).fill(alpha);
  for (let i = 0; i < X.rows; i++) {
    const sums = labels[i] === 1 ? positive : negative;
    for (let k = X.indptr[i]; k < X.indptr[i + 1]; k++) if (X.data[k] !== 0) sums[X.indices[k]] += 1;
  }
  let positiveTotal = 0;
  let negativeTotal = 0;
  for (let j = 0; j < X.cols; j++) {
    positiveTotal += positive[j];
    negativeTotal += negative[j];
  }
  const ratio = new Float64Array(X.cols);
  for (let j = 0; j < X.cols; j++) {
    ratio[j] = Math.log(positive[j] / positiveTotal / (negative[j] / negativeTotal));
  }
  return ratio;
}
