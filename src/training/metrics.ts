export interface ConfusionMatrix {
  truePositive: number;
  falsePositive: number;
  trueNegative: number;
  falseNegative: number;
}

export interface Metrics {
  count: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  rocAuc: number;
  logLoss: number;
  /** Expected calibration error over 10 equal-width probability bins. */
  expectedCalibrationError: number;
  confusionMatrix: ConfusionMatrix;
}

/** Binary classification metrics from labels (1 = positive) and predicted probabilities of positive. */
export function computeMetrics(labels: ArrayLike<number>, probabilities: ArrayLike<number>): Metrics {
  const n = labels.length;
  if (n === 0 || probabilities.length !== n)
    throw new RangeError('need one probability per label, and some labels');
  const cm: ConfusionMatrix = { truePositive: 0, falsePositive: 0, trueNegative: 0, falseNegative: 0 };
  let logLoss = 0;
  for (let i = 0; i < n; i++) {
    const p = probabilities[i];
    const positive = p > 0.5;
    if (labels[i] === 1) positive ? cm.truePositive++ : cm.falseNegative++;
    else positive ? cm.falsePositive++ : cm.trueNegative++;
    // scikit-learn 1.2's log_loss clips at float64's machine epsilon.
    const clipped = Math.min(Math.max(p, Number.EPSILON), 1 - Number.EPSILON);
    logLoss -= labels[i] === 1 ? Math.log(clipped) : Math.log(1 - clipped);
  }
  const precision = ratio(cm.truePositive, cm.truePositive + cm.falsePositive);
  const recall = ratio(cm.truePositive, cm.truePositive + cm.falseNegative);
  return {
    count: n,
    accuracy: (cm.truePositive + cm.trueNegative) / n,
    precision,
    recall,
    f1: ratio(2 * precision * recall, precision + recall),
    rocAuc: rocAuc(labels, probabilities),
    logLoss: logLoss / n,
    expectedCalibrationError: calibration(labels, probabilities).reduce(
      (sum, bin) => sum + (bin.count / n) * Math.abs(bin.meanPredicted - bin.fractionPositive),
      0,
    ),
    confusionMatrix: cm,
  };
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/** Indices sorted by descending probability (ties by index, for determinism). */
function byScore(probabilities: ArrayLike<number>): number[] {
  return Array.from({ length: probabilities.length }, (_, i) => i).sort(
    (a, b) => probabilities[b] - probabilities[a] || a - b,
  );
}

/** Area under the ROC curve via ranks (ties count half), as scikit-learn's roc_auc_score. */
export function rocAuc(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  const order = byScore(probabilities).reverse();
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end < order.length && probabilities[order[end]] === probabilities[order[start]]) end++;
    const meanRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) {
      if (labels[order[k]] === 1) {
        positives++;
        rankSum += meanRank;
      }
    }
    start = end;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface CurvePoint {
  x: number;
  y: number;
  threshold: number;
}

/** ROC (x = false-positive rate, y = true-positive rate) and precision-recall (x = recall, y = precision). */
export function curves(labels: ArrayLike<number>, probabilities: ArrayLike<number>) {
  const order = byScore(probabilities);
  let totalPositive = 0;
  for (let i = 0; i < labels.length; i++) totalPositive += labels[i] === 1 ? 1 : 0;
  const totalNegative = labels.length - totalPositive;
  const roc: CurvePoint[] = [{ x: 0, y: 0, threshold: 1 }];
  const precisionRecall: CurvePoint[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    if (labels[order[k]] === 1) tp++;
    else fp++;
    const last = k === order.length - 1 || probabilities[order[k + 1]] !== probabilities[order[k]];
    if (!last) continue;
    const threshold = probabilities[order[k]];
    roc.push({ x: ratio(fp, totalNegative), y: ratio(tp, totalPositive), threshold });
    precisionRecall.push({ x: ratio(tp, totalPositive), y: ratio(tp, tp + fp), threshold });
  }
  return { roc, precisionRecall };
}

export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number;
  fractionPositive: number;
}

/**
 * Reliability diagram data: equal-width bins of predicted probability, binned as scikit-learn's
 * `calibration_curve(strategy="uniform")` does: inner edges at `k × (1 / bins)` as numpy's linspace
 * computes them (0.30000000000000004, ...), a probability on an edge in the bin below it.
 */
export function calibration(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  bins = 10,
): CalibrationBin[] {
  const counts = new Float64Array(bins);
  const predicted = new Float64Array(bins);
  const positive = new Float64Array(bins);
  const step = 1 / bins;
  const edges = Array.from({ length: bins - 1 }, (_, k) => (k + 1) * step);
  for (let i = 0; i < labels.length; i++) {
    let b = 0;
    while (b < edges.length && edges[b] < probabilities[i]) b++;
    counts[b]++;
    predicted[b] += probabilities[i];
    positive[b] += labels[i] === 1 ? 1 : 0;
  }
  return Array.from(counts, (count, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    count,
    meanPredicted: ratio(predicted[b], count),
    fractionPositive: ratio(positive[b], count),
  }));
}
