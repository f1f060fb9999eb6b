import type { Dataset } from '../data/dataset.js';
import { type AbstentionPolicy, DEFAULT_ABSTENTION, toResult } from '../model/prediction.js';
import type { SentimentModel } from '../model/sentiment-model.js';
import { computeMetrics } from './metrics.js';

/** How a model does on one labelled set: the figures that show domain shift side by side. */
export interface DomainResult {
  /** The set's file name (or the name given to it). */
  name: string;
  count: number;
  accuracy: number;
  rocAuc: number;
  logLoss: number;
  expectedCalibrationError: number;
  /** Share of texts predicted positive, against the share that are. */
  predictedPositiveRate: number;
  actualPositiveRate: number;
  /** Predictions that abstained (too little known), counted apart. */
  abstained: number;
  /** Accuracy on the predictions that did not abstain (null when all abstained). */
  accuracyAnswered: number | null;
  /** Mean share of known n-grams. */
  meanCoverage: number;
}

export function evaluateDomain(
  model: SentimentModel,
  dataset: Pick<Dataset, 'texts' | 'labels'>,
  name: string,
  policy: AbstentionPolicy = DEFAULT_ABSTENTION,
): DomainResult {
  const n = dataset.texts.length;
  const probabilities = new Float64Array(n);
  let abstained = 0;
  let answeredRight = 0;
  let coverage = 0;
  let predictedPositive = 0;
  let positive = 0;
  for (let i = 0; i < n; i++) {
    const prediction = model.predict(dataset.texts[i]);
    const result = toResult(prediction, policy);
    probabilities[i] = prediction.probabilityPositive;
    coverage += prediction.coverage;
    positive += dataset.labels[i];
    if (prediction.sentiment === 'positive') predictedPositive++;
    if (result.abstained) abstained++;
    else if ((prediction.sentiment === 'positive') === (dataset.labels[i] === 1)) answeredRight++;
  }
  const metrics = computeMetrics(dataset.labels, probabilities);
  return {
    name,
    count: n,
    accuracy: metrics.accuracy,
    rocAuc: metrics.rocAuc,
    logLoss: metrics.logLoss,
    expectedCalibrationError: metrics.expectedCalibrationError,
    predictedPositiveRate: predictedPositive / n,
    actualPositiveRate: positive / n,
    abstained,
    accuracyAnswered: abstained === n ? null : answeredRight / (n - abstained),
    meanCoverage: coverage / n,
  };
}

const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(2)}%`);

const COLUMNS: Array<[string, (r: DomainResult) => string]> = [
  ['set', (r) => r.name],
  ['reviews', (r) => String(r.count)],
  ['accuracy', (r) => pct(r.accuracy)],
  ['ROC AUC', (r) => r.rocAuc.toFixed(4)],
  ['log loss', (r) => r.logLoss.toFixed(4)],
  ['ECE', (r) => r.expectedCalibrationError.toFixed(4)],
  ['positive predicted / actual', (r) => `${pct(r.predictedPositiveRate)} / ${pct(r.actualPositiveRate)}`],
  ['abstained', (r) => `${r.abstained} (${pct(r.abstained / r.count)})`],
  ['accuracy when answering', (r) => pct(r.accuracyAnswered)],
  ['mean coverage', (r) => pct(r.meanCoverage)],
];

/** The results as a Markdown table (the CLI prints it; model cards embed it). */
export function domainTable(results: readonly DomainResult[]): string {
  const header = COLUMNS.map(([name]) => name);
  const rows = results.map((r) => COLUMNS.map(([, cell]) => cell(r)));
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

/** The same table as HTML cells, for reports. */
export function domainTableHtml(results: readonly DomainResult[], escapeText: (s: string) => string): string {
  const head = COLUMNS.map(([name]) => `<th>${escapeText(name)}</th>`).join('');
  const body = results
    .map((r) => `<tr>${COLUMNS.map(([, cell]) => `<td>${escapeText(cell(r))}</td>`).join('')}</tr>`)
    .join('');
  return `<table class="domains"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}
