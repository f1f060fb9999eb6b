import type { SentimentModel } from '../model/sentiment-model.js';
import { type DomainResult, domainTableHtml } from './domains.js';
import type { Evaluation } from './evaluate.js';
import { calibration, curves } from './metrics.js';
import { escapeHtml, histogram, lineChart } from './svg.js';
import type { MetricsFile } from './train.js';

export interface ReportInput {
  metrics: MetricsFile;
  model: SentimentModel;
  evaluation?: Evaluation;
  evaluatedOn: 'test' | 'validation';
}

/** The n-grams with the largest positive and negative weights. */
export function topNgrams(model: SentimentModel, k: number) {
  const { weights, vocabulary } = model.parameters;
  const ids = Array.from({ length: weights.length }, (_, i) => i);
  const pick = (sign: 1 | -1) =>
    ids
      .sort((a, b) => sign * (weights[b] - weights[a]) || a - b)
      .slice(0, k)
      .map((id) => ({ ngram: vocabulary.term(id), weight: weights[id] }));
  return { positive: pick(1), negative: pick(-1) };
}

const STYLE = `body{font:14px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1f2328}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse}th,td{padding:.25rem .6rem;border:1px solid #d0d7de;text-align:left}
.charts{display:flex;flex-wrap:wrap;gap:1rem}figure{margin:0}figcaption{font-size:12px;color:#57606a;text-align:center}
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #d0d7de;border-radius:6px;padding:.6rem 1rem;min-width:8rem}
.card b{display:block;font-size:1.4rem}.cols{display:flex;gap:3rem}ol span{color:#57606a}
.cm td{text-align:right;font-variant-numeric:tabular-nums}
`;

const pct = (x: number | undefined) => (x === undefined ? '–' : `${(x * 100).toFixed(2)}%`);
const num = (x: number | undefined, digits = 4) => (x === undefined ? '–' : x.toFixed(digits));
const seconds = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(2)} s`);

function table(rows: Array<[string, string]>): string {
  return `<table>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
}

/** A self-contained HTML report: opens offline, no scripts, no external assets. */
export function renderReport({ metrics, model, evaluation, evaluatedOn }: ReportInput): string {
  const m = evaluatedOn === 'test' ? metrics.test : metrics.validation;
  const top = topNgrams(model, 20);
  let charts = '<p>No held-out data was evaluated: pass <code>--test</code> or a validation split.</p>';
  if (evaluation && m) {
    const { roc, precisionRecall } = curves(evaluation.labels, evaluation.probabilities);
    const bins = calibration(evaluation.labels, evaluation.probabilities).filter((b) => b.count > 0);
    const counts = (label: number) => {
      const out = new Array<number>(20).fill(0);
      evaluation.probabilities.forEach((p, i) => {
        if (evaluation.labels[i] === label) out[Math.min(19, Math.floor(p * 20))]++;
      });
      return out;
    };
    const cm = m.confusionMatrix;
    charts = `<div class="charts">
${lineChart(`ROC curve (AUC ${num(m.rocAuc)})`, 'false-positive rate', 'true-positive rate', roc, { diagonal: true })}
${lineChart('Precision-recall curve', 'recall', 'precision', precisionRecall)}
${lineChart(
  `Calibration (ECE ${num(m.expectedCalibrationError)})`,
  'mean predicted probability',
  'fraction positive',
  bins.map((b) => ({ x: b.meanPredicted, y: b.fractionPositive })),
  { diagonal: true, markers: true },
)}
${histogram('Scores by true class', 'predicted probability of positive', [
  { label: 'negative reviews', color: '#d1242f', counts: counts(0) },
  { label: 'positive reviews', color: '#1a7f37', counts: counts(1) },
])}
<figure><table class="cm"><tr><th></th><th>predicted negative</th><th>predicted positive</th></tr>
<tr><th>actual negative</th><td>${cm.trueNegative}</td><td>${cm.falsePositive}</td></tr>
<tr><th>actual positive</th><td>${cm.falseNegative}</td><td>${cm.truePositive}</td></tr></table>
<figcaption>Confusion matrix (${evaluatedOn})</figcaption></figure>
</div>`;
  }
  const ngramList = (items: Array<{ ngram: string; weight: number }>) =>
    `<ol>${items.map((t) => `<li><code>${escapeHtml(t.ngram)}</code> <span>${t.weight.toFixed(3)}</span></li>`).join('')}</ol>`;
  const { tfidf, logisticRegression, naiveBayesAlpha } = metrics.options;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sentiment model report: ${escapeHtml(metrics.preset)}</title>
<style>
${STYLE}</style></head><body>
<h1>Sentiment model report: preset <code>${escapeHtml(metrics.preset)}</code></h1>
<p>Model version <code>${metrics.modelVersion.slice(0, 16)}</code>, created ${escapeHtml(metrics.createdAt)}. Figures below are on the <b>${evaluatedOn}</b> set.</p>
<div class="cards">
<div class="card">accuracy<b>${pct(m?.accuracy)}</b></div>
<div class="card">F1<b>${num(m?.f1)}</b></div>
<div class="card">ROC AUC<b>${num(m?.rocAuc)}</b></div>
<div class="card">log loss<b>${num(m?.logLoss)}</b></div>
<div class="card">precision / recall<b>${num(m?.precision, 3)} / ${num(m?.recall, 3)}</b></div>
</div>
<h2>Curves</h2>
${charts}
${
  metrics.domains?.length
    ? `<h2>Other sets (--eval)</h2>
<p>The same model on each extra labelled set: how it holds up away from its training data.</p>
${domainTableHtml(metrics.domains, escapeHtml)}`
    : ''
}
<h2>Deciding n-grams</h2>
<div class="cols"><div><h3>Most positive</h3>${ngramList(top.positive)}</div><div><h3>Most negative</h3>${ngramList(top.negative)}</div></div>
<h2>Data</h2>
${table([
  [
    'training data',
    `${metrics.data.train.source}: ${metrics.data.train.documents} reviews, ${metrics.data.train.positive} positive`,
  ],
  [
    'validation split',
    metrics.data.validationSplit > 0
      ? `${metrics.data.validationSplit} (validation accuracy ${pct(metrics.validation?.accuracy)})`
      : 'none',
  ],
  [
    'test data',
    metrics.data.test ? `${metrics.data.test.source}: ${metrics.data.test.documents} reviews` : 'none',
  ],
  ['training fingerprint', metrics.data.train.fingerprint.slice(0, 16)],
])}
<h2>Parameters</h2>
${table([
  ['n-gram range', tfidf.ngramRange.join('–')],
  [
    'min_df / max_df / max_features',
    `${tfidf.minDf} / ${tfidf.maxDf ?? 'none'} / ${tfidf.maxFeatures ?? 'none'}`,
  ],
  [
    'tf',
    `${tfidf.binary ? 'binary' : tfidf.sublinearTf ? 'sublinear (1 + ln tf)' : 'raw counts'}${tfidf.useIdf ? ` × idf${tfidf.smoothIdf ? ' (smoothed)' : ''}` : ''}, norm ${tfidf.norm}`,
  ],
  [
    'text',
    `lowercase ${tfidf.lowercase}, accents ${tfidf.stripAccents}, stop words ${tfidf.stopWords}, HTML stripped ${tfidf.stripHtml}`,
  ],
  [
    'logistic regression',
    `C ${logisticRegression.C}, tol ${logisticRegression.tol}, max ${logisticRegression.maxIter} iterations`,
  ],
  ['Naive-Bayes scaling', naiveBayesAlpha === null ? 'off' : `on (alpha ${naiveBayesAlpha})`],
  ['vocabulary', `${metrics.sizes.vocabulary.toLocaleString('en-US')} n-grams`],
  ['artifact', `${(metrics.sizes.artifactBytes / 1e6).toFixed(2)} MB`],
  [
    'solver',
    `${metrics.solver.iterations} Newton iterations, gradient norm ${metrics.solver.gradientNorm.toExponential(2)}, ${metrics.solver.converged ? 'converged' : 'NOT converged'}`,
  ],
])}
<h2>Timings</h2>
${table([
  ['hyperparameter search', seconds(metrics.timings.searchMs)],
  ['fit on the training part (validation)', seconds(metrics.timings.validationFitMs)],
  ['final fit: vectorize', seconds(metrics.timings.vectorizeMs)],
  ['final fit: solve', seconds(metrics.timings.solveMs)],
  ['test evaluation', seconds(metrics.timings.evaluateMs)],
])}
</body></html>
`;
}

/** A page of `sentiment evaluate --report`: one model on several labelled sets. */
export function renderDomainReport(input: {
  model: string;
  modelVersion: string;
  results: readonly DomainResult[];
  minCoverage: number;
}): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sentiment evaluation: ${escapeHtml(input.model)}</title>
<style>
${STYLE}</style></head><body>
<h1>Sentiment evaluation</h1>
<p>Model <code>${escapeHtml(input.model)}</code>, version <code>${escapeHtml(input.modelVersion.slice(0, 16))}</code>.
Predictions with under ${(input.minCoverage * 100).toFixed(0)}% of their n-grams known count as abstained.</p>
${domainTableHtml(input.results, escapeHtml)}
</body></html>
`;
}
