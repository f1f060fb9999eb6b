/**
 * Chooses presets for text users send: fits candidates on IMDb's training split (90%, the split `train`
 * holds out by default) and scores them on the held-out 10% and on the rt-polarity *choosing* half
 * (`bench/domains.ts`). The rt-polarity report half and IMDb test are never read here.
 *
 * Run: IMDB_DIR=<folder with train.csv.gz> RT_POLARITY_DIR=<folder with rt-polarity.csv.gz> \
 *      npx tsx bench/domain-search.ts [candidate-name-filter]
 * Writes bench/results/domain-search.json.
 */
import { writeFileSync } from 'node:fs';
import { fitTfidf } from '../src/model/count-ngrams.js';
import { sentencesOf } from '../src/model/fit.js';
import { DEFAULT_LOGISTIC_REGRESSION, fitLogisticRegression } from '../src/model/logistic-regression.js';
import { logCountRatio } from '../src/model/naive-bayes.js';
import { sigmoid } from '../src/model/sentiment-model.js';
import { type CsrMatrix, stackRows } from '../src/model/sparse.js';
import type { TfidfOptions, TfidfVectorizer } from '../src/model/vectorizer.js';
import { computeMetrics } from '../src/training/metrics.js';
import { PRESETS } from '../src/training/presets.js';
import { loadDomains } from './domains.js';
import { gitCommit } from './meta.js';

interface Candidate {
  name: string;
  tfidf: TfidfOptions;
  C: number;
  nbAlpha: number | null;
  sentenceWeight: number;
}

const UNI_BI: TfidfOptions = PRESETS.default.tfidf;
const UNI_TRI: TfidfOptions = { ...UNI_BI, ngramRange: [1, 3] };

const candidates: Candidate[] = [];
const add = (name: string, tfidf: TfidfOptions, C: number, nbAlpha: number | null, sentenceWeight: number) =>
  candidates.push({ name, tfidf, C, nbAlpha, sentenceWeight });
add('nblr-bi-C10', UNI_BI, 10, 1, 0);
add('lr-bi-C10', UNI_BI, 10, null, 0);
add('lr-bi-sent0.3-C3', UNI_BI, 3, null, 0.3);
add('nblr-bi-sent0.3-C3', UNI_BI, 3, 1, 0.3);
add('nblr-bi-sent0.3-C10', UNI_BI, 10, 1, 0.3);
add('nblr-tri-C100', UNI_TRI, 100, 1, 0);
add('lr-tri-sent0.3-C3', UNI_TRI, 3, null, 0.3);
add('nblr-tri-sent0.3-C10', UNI_TRI, 10, 1, 0.3);

const filter = process.argv[2];
const { imdbChoose, imdbValidation, rtChoose } = await loadDomains();

interface Features {
  vectorizer: TfidfVectorizer;
  reviews: CsrMatrix;
  sentences: CsrMatrix;
  sentenceLabels: Uint8Array;
  validation: CsrMatrix;
  rt: CsrMatrix;
}
const cache = new Map<string, Features>();
function features(tfidf: TfidfOptions): Features {
  const key = JSON.stringify(tfidf);
  let f = cache.get(key);
  if (!f) {
    const { vectorizer, matrix } = fitTfidf(imdbChoose.texts, tfidf);
    const sentences = sentencesOf(imdbChoose.texts, imdbChoose.labels);
    f = {
      vectorizer,
      reviews: matrix,
      sentences: vectorizer.transform(sentences.texts),
      sentenceLabels: sentences.labels,
      validation: vectorizer.transform(imdbValidation.texts),
      rt: vectorizer.transform(rtChoose.texts),
    };
    console.error(
      `features ${tfidf.ngramRange}: ${vectorizer.vocabulary.size} terms, ${sentences.texts.length} sentences`,
    );
    cache.set(key, f);
  }
  return f;
}

interface Row {
  name: string;
  imdbValidation: number;
  rtChoose: number;
  rtAuc: number;
  rtPositiveRate: number;
  fitMs: number;
  valLogits: Float64Array;
  rtLogits: Float64Array;
  sentenceLogits: Float64Array;
  tfidfKey: string;
}
const rows: Row[] = [];
function score(m: CsrMatrix, weights: Float64Array, intercept: number) {
  const out = m.multiply(weights);
  for (let i = 0; i < out.length; i++) out[i] += intercept;
  return out;
}
function report(
  name: string,
  valLogits: Float64Array,
  rtLogits: Float64Array,
  fitMs: number,
  tfidfKey: string,
  sentenceLogits: Float64Array,
) {
  const val = computeMetrics(imdbValidation.labels, valLogits.map(sigmoid));
  const rt = computeMetrics(rtChoose.labels, rtLogits.map(sigmoid));
  const cm = rt.confusionMatrix;
  const row: Row = {
    name,
    imdbValidation: val.accuracy,
    rtChoose: rt.accuracy,
    rtAuc: rt.rocAuc,
    rtPositiveRate: (cm.truePositive + cm.falsePositive) / rt.count,
    fitMs,
    valLogits,
    rtLogits,
    sentenceLogits,
    tfidfKey,
  };
  rows.push(row);
  console.log(
    `${name.padEnd(28)} imdb-val ${(val.accuracy * 100).toFixed(2)}%  rt-choose ${(rt.accuracy * 100).toFixed(2)}% (AUC ${rt.rocAuc.toFixed(4)}, pos rate ${(row.rtPositiveRate * 100).toFixed(1)}%)  fit ${(fitMs / 1000).toFixed(1)} s`,
  );
}

for (const c of candidates) {
  if (filter && !c.name.includes(filter)) continue;
  const f = features(c.tfidf);
  const started = performance.now();
  let X = f.reviews;
  let labels: ArrayLike<number> = imdbChoose.labels;
  let weights: Float64Array | undefined;
  if (c.sentenceWeight > 0) {
    X = stackRows([f.reviews, f.sentences]);
    labels = Uint8Array.from([...imdbChoose.labels, ...f.sentenceLabels]);
    weights = new Float64Array(X.rows).fill(1);
    weights.fill(c.sentenceWeight, f.reviews.rows);
  }
  let scale: Float64Array | null = null;
  if (c.nbAlpha !== null) {
    scale = logCountRatio(f.reviews, imdbChoose.labels, c.nbAlpha);
    X = X.scaleColumns(scale);
  }
  const fit = fitLogisticRegression(
    X,
    labels,
    { ...DEFAULT_LOGISTIC_REGRESSION, C: c.C },
    undefined,
    weights,
  );
  if (scale) for (let j = 0; j < fit.weights.length; j++) fit.weights[j] *= scale[j];
  report(
    c.name,
    score(f.validation, fit.weights, fit.intercept),
    score(f.rt, fit.weights, fit.intercept),
    performance.now() - started,
    JSON.stringify(c.tfidf),
    score(f.sentences, fit.weights, fit.intercept),
  );
}

// Averaging two models' logits over the same features is one linear model (weights averaged).
const base = rows.slice();
for (let a = 0; a < base.length; a++)
  for (let b = a + 1; b < base.length; b++) {
    if (base[a].tfidfKey !== base[b].tfidfKey) continue;
    if (!(base[a].name.startsWith('nblr') && base[b].name.includes('sent'))) continue;
    for (const share of [0.25, 0.5]) {
      const mix = (x: Float64Array, y: Float64Array) => x.map((v, i) => share * v + (1 - share) * y[i]);
      report(
        `${share}*${base[a].name}+${base[b].name}`,
        mix(base[a].valLogits, base[b].valLogits),
        mix(base[a].rtLogits, base[b].rtLogits),
        0,
        base[a].tfidfKey,
        mix(base[a].sentenceLogits, base[b].sentenceLogits),
      );
    }
  }

// Short-text prior: shift the intercept so that, on the training reviews' sentences, the share
// predicted positive equals the share labelled positive (the data alone decides the shift).
const withMixes = rows.slice();
for (const row of withMixes) {
  // Sentence labels are the same whatever the features: each sentence takes its review's label.
  const labels = [...cache.values()][0].sentenceLabels;
  const rate = labels.reduce((s, l) => s + l, 0) / labels.length;
  const sorted = Float64Array.from(row.sentenceLogits).sort();
  const delta = -sorted[Math.floor((1 - rate) * sorted.length)];
  const shift = (x: Float64Array) => x.map((v) => v + delta);
  report(
    `${row.name} shifted ${delta.toFixed(3)}`,
    shift(row.valLogits),
    shift(row.rtLogits),
    0,
    row.tfidfKey,
    shift(row.sentenceLogits),
  );
}

const commit = gitCommit();
writeFileSync(
  new URL('./results/domain-search.json', import.meta.url),
  `${JSON.stringify(
    {
      measured: new Date().toISOString(),
      commit,
      node: process.version,
      rows: rows.map(({ valLogits, rtLogits, sentenceLogits, tfidfKey, ...r }) => r),
    },
    null,
    2,
  )}\n`,
);
