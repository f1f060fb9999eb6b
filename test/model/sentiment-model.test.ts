import { describe, expect, it } from 'vitest';
import { fitTfidf } from '../../src/model/count-ngrams.js';
import { fitSentimentModel } from '../../src/model/fit.js';
import { logCountRatio } from '../../src/model/naive-bayes.js';
import { NEGLIGIBLE_CONTRIBUTION, SentimentModel } from '../../src/model/sentiment-model.js';
import { CsrMatrix } from '../../src/model/sparse.js';
import { SKLEARN_TFIDF } from '../../src/model/vectorizer.js';
import { TINY_LABELS, TINY_OPTIONS, TINY_TEXTS, tinyModel } from './helpers.js';

describe('SentimentModel', () => {
  const model = tinyModel();

  it('predicts sentiment with the probability of the predicted class as confidence', () => {
    const positive = model.predict('a great and wonderful film');
    expect(positive.sentiment).toBe('positive');
    expect(positive.confidence).toBeCloseTo(positive.probabilityPositive, 12);
    const negative = model.predict('awful and boring');
    expect(negative.sentiment).toBe('negative');
    expect(negative.confidence).toBeCloseTo(1 - negative.probabilityPositive, 12);
    expect(negative.confidence).toBeGreaterThan(0.5);
  });

  it('predicts a batch in input order, as single predictions would', () => {
    const texts = ['great film', 'awful film', '', 'loved it'];
    expect(model.predictBatch(texts)).toEqual(texts.map((t) => model.predict(t)));
  });

  it('answers empty, whitespace-only and unknown-word text with the intercept prior, flagged', () => {
    for (const text of ['', '   \n\t', 'zzz qqq xyzzy']) {
      const prediction = model.predict(text);
      expect(prediction.priorOnly).toBe(true);
      expect(prediction.knownNgrams).toBe(0);
      expect(prediction.probabilityPositive).toBeCloseTo(1 / (1 + Math.exp(-model.parameters.intercept)), 12);
    }
    expect(model.predict('great').priorOnly).toBe(false);
  });

  it('explains with the intercept and the n-grams that pushed hardest each way, summing to the log-odds', () => {
    const text = 'great acting but a terrible, boring plot';
    const explanation = model.explain(text, 2);
    expect(explanation.positive.length).toBeLessThanOrEqual(2);
    expect(explanation.positive[0].ngram).toBe('great');
    expect(explanation.negative.map((c) => c.ngram)).toContain('terrible');
    for (const c of explanation.positive) expect(c.contribution).toBeGreaterThan(0);
    for (const c of explanation.negative) expect(c.contribution).toBeLessThan(0);
    const all = model.explain(text, 1000);
    const shown = [...all.positive, ...all.negative];
    for (const c of shown) expect(Math.abs(c.contribution)).toBeGreaterThanOrEqual(NEGLIGIBLE_CONTRIBUTION);
    const logOdds = shown.reduce((s, c) => s + c.contribution, all.intercept);
    const p = all.prediction.probabilityPositive;
    // Only pushes under NEGLIGIBLE_CONTRIBUTION are left out, so the sum misses at most that much each.
    const left = model.predict(text).knownNgrams - shown.length;
    expect(Math.abs(logOdds - Math.log(p / (1 - p)))).toBeLessThanOrEqual(left * NEGLIGIBLE_CONTRIBUTION);
  });

  it('leaves pushes under 0.01 out of explanations', () => {
    const text = 'great acting but a terrible, boring plot';
    // Scale every weight down so most pushes fall under the cut-off.
    const scaled = new SentimentModel({
      ...model.parameters,
      weights: model.parameters.weights.map((w) => w / 200),
    });
    const full = model.explain(text, 1000);
    const small = scaled.explain(text, 1000);
    const count = (e: typeof full) => e.positive.length + e.negative.length;
    expect(count(small)).toBeLessThan(count(full));
    for (const c of [...small.positive, ...small.negative])
      expect(Math.abs(c.contribution)).toBeGreaterThanOrEqual(0.01);
  });

  it('refuses labels that are not 0/1 and data with one class', () => {
    expect(() => fitSentimentModel(['a b', 'c d'], [1, 2], TINY_OPTIONS)).toThrow(/not 0 or 1/);
    expect(() => fitSentimentModel(['aa bb', 'cc dd'], [1, 1], TINY_OPTIONS)).toThrow(/both classes/);
  });
});

describe('Naive-Bayes scaling (NB-LR)', () => {
  it('gives r = ln((p/|p|) / (q/|q|)) over binarized counts with Laplace smoothing', () => {
    // Two features; row 0 positive with [2, 0], row 1 negative with [0, 1].
    const X = new CsrMatrix(
      2,
      2,
      Uint32Array.from([0, 1, 2]),
      Uint32Array.from([0, 1]),
      Float64Array.from([2, 1]),
    );
    const r = logCountRatio(X, [1, 0], 1);
    // Presence, not value: p = [1 + 1, 1] / 3, q = [1, 1 + 1] / 3
    expect(r[0]).toBeCloseTo(Math.log(2 / 3 / (1 / 3)), 12);
    expect(r[1]).toBeCloseTo(Math.log(1 / 3 / (2 / 3)), 12);
  });

  it('reads only the positive rows when the document frequencies are given, with the same ratios', () => {
    const { matrix, documentFrequency } = fitTfidf(TINY_TEXTS, { ...SKLEARN_TFIDF, ngramRange: [1, 2] });
    for (const alpha of [0.5, 1]) {
      const read = logCountRatio(matrix, TINY_LABELS, alpha);
      expect(logCountRatio(matrix, TINY_LABELS, alpha, documentFrequency)).toEqual(read);
    }
    expect(() => logCountRatio(matrix, TINY_LABELS, 1, documentFrequency.subarray(1))).toThrow(RangeError);
  });

  it('folds the scaling into the weights, so predictions need no extra step', () => {
    const nb = tinyModel({ naiveBayesAlpha: 1 });
    expect(nb.predict('great wonderful').sentiment).toBe('positive');
    expect(nb.predict('awful boring').sentiment).toBe('negative');
  });

  it('trains on the tiny corpus to perfect training accuracy', () => {
    const nb = tinyModel({ naiveBayesAlpha: 1 });
    TINY_TEXTS.forEach((text, i) =>
      expect(nb.predict(text).sentiment).toBe(TINY_LABELS[i] ? 'positive' : 'negative'),
    );
  });
});
