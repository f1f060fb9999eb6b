/**
 * A monotone map from a model's raw log-odds z to calibrated log-odds `slope * z + intercept`
 * (Platt scaling). The decision threshold follows from it: a text is positive when the calibrated
 * probability is above 0.5, i.e. when z > -intercept / slope.
 */
export interface Calibration {
  method: 'platt';
  slope: number;
  intercept: number;
}

export const MIN_CALIBRATION_ROWS = 50;

/**
 * Fits Platt scaling (Platt 1999, with the corrections of Lin, Lin & Weng 2007) to raw log-odds and
 * labels (1 = positive): logistic regression of the labels on the scores, with Platt's smoothed
 * targets (N₊ + 1) / (N₊ + 2) and 1 / (N₋ + 2) so a small sample does not give infinite slopes.
 * Newton's method with a backtracking line search; deterministic.
 */
export function fitPlatt(scores: ArrayLike<number>, labels: ArrayLike<number>): Calibration {
  const n = scores.length;
  if (labels.length !== n) throw new RangeError('one label per score is required');
  let positives = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) throw new RangeError(`label ${i} is ${labels[i]}, not 0 or 1`);
    if (!Number.isFinite(scores[i])) throw new RangeError(`score ${i} is ${scores[i]}, not finite`);
    positives += labels[i];
  }
  if (positives === 0 || positives === n) throw new RangeError('calibration needs both classes');
  const high = (positives + 1) / (positives + 2);
  const low = 1 / (n - positives + 2);
  const target = (i: number) => (labels[i] === 1 ? high : low);

  // Minimize F(a, b) = Σ −t log p − (1 − t) log(1 − p), p = σ(a z + b).
  const objective = (a: number, b: number) => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      const m = a * scores[i] + b;
      const t = target(i);
      // −t log σ(m) − (1 − t) log σ(−m) = log(1 + e^m) − t m, stably.
      f += (m >= 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m))) - t * m;
    }
    return f;
  };
  let a = 1;
  let b = Math.log((positives + 1) / (n - positives + 1));
  let f = objective(a, b);
  for (let iteration = 0; iteration < 100; iteration++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-12;
    let hab = 0;
    let hbb = 1e-12;
    for (let i = 0; i < n; i++) {
      const z = scores[i];
      const m = a * z + b;
      const p = m >= 0 ? 1 / (1 + Math.exp(-m)) : Math.exp(m) / (1 + Math.exp(m));
      const d = p - target(i);
      const w = p * (1 - p);
      ga += d * z;
      gb += d;
      haa += w * z * z;
      hab += w * z;
      hbb += w;
    }
    if (Math.abs(ga) < 1e-10 && Math.abs(gb) < 1e-10) break;
    const det = haa * hbb - hab * hab;
    const da = -(hbb * ga - hab * gb) / det;
    const db = -(haa * gb - hab * ga) / det;
    let step = 1;
    let improved = false;
    while (step > 1e-10) {
      const fNew = objective(a + step * da, b + step * db);
      if (fNew < f + 1e-4 * step * (ga * da + gb * db)) {
        a += step * da;
        b += step * db;
        f = fNew;
        improved = true;
        break;
      }
      step /= 2;
    }
    if (!improved) break;
  }
  return { method: 'platt', slope: a, intercept: b };
}
