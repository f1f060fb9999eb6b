import { describe, expect, it } from 'vitest';
import { countTerms } from '../../src/model/count-ngrams.js';
import { fitSentimentModel } from '../../src/model/fit.js';
import { type ColumnProductsFactory, serialColumnProducts } from '../../src/model/logistic-regression.js';
import type { ColumnSource } from '../../src/model/sparse.js';
import { splitSentences } from '../../src/text/sentences.js';
import { TINY_LABELS, TINY_OPTIONS, TINY_TEXTS } from './helpers.js';

const REVIEWS = TINY_TEXTS.map(
  (t, i) => `${t}. ${i % 2 ? 'The score was fine, nothing more to say' : 'It runs for two hours in all'}.`,
);

describe('fitSentimentModel options for other domains', () => {
  it('blends NB-LR into one linear model: weights and intercept are the share-weighted average', () => {
    const share = 0.25;
    const plain = fitSentimentModel(TINY_TEXTS, TINY_LABELS, TINY_OPTIONS).model.parameters;
    const nb = fitSentimentModel(TINY_TEXTS, TINY_LABELS, {
      ...TINY_OPTIONS,
      naiveBayesAlpha: 1,
      logisticRegression: { ...TINY_OPTIONS.logisticRegression, C: 3 },
    }).model.parameters;
    const blended = fitSentimentModel(TINY_TEXTS, TINY_LABELS, {
      ...TINY_OPTIONS,
      naiveBayesBlend: { share, C: 3, alpha: 1 },
    }).model.parameters;
    for (let j = 0; j < plain.weights.length; j++)
      expect(blended.weights[j]).toBeCloseTo((1 - share) * plain.weights[j] + share * nb.weights[j], 10);
    expect(blended.intercept).toBeCloseTo((1 - share) * plain.intercept + share * nb.intercept, 10);
    expect(() =>
      fitSentimentModel(TINY_TEXTS, TINY_LABELS, {
        ...TINY_OPTIONS,
        naiveBayesBlend: { share: 1, C: 1, alpha: 1 },
      }),
    ).toThrow(/share/);
  });

  it('learns from sentences as extra rows: same vocabulary and idf, different weights', () => {
    const without = fitSentimentModel(REVIEWS, TINY_LABELS, TINY_OPTIONS).model.parameters;
    const withSentences = fitSentimentModel(REVIEWS, TINY_LABELS, { ...TINY_OPTIONS, sentenceWeight: 0.5 })
      .model.parameters;
    expect(withSentences.vocabulary.size).toBe(without.vocabulary.size);
    expect(withSentences.idf).toEqual(without.idf);
    expect(withSentences.weights).not.toEqual(without.weights);
    expect(() => fitSentimentModel(REVIEWS, TINY_LABELS, { ...TINY_OPTIONS, sentenceWeight: -1 })).toThrow(
      /sentenceWeight/,
    );
  });

  it('re-centres the intercept so sentences are predicted positive as often as they are labelled so', () => {
    // Mostly-neutral sentences from positive reviews: without the prior, short texts lean positive.
    const reviews = [
      ...Array.from(
        { length: 6 },
        (_, i) => `A great film, loved it. The story follows a family over one long summer ${i}.`,
      ),
      ...Array.from(
        { length: 6 },
        (_, i) => `An awful film, terrible acting. I watched it on a quiet sunday evening ${i}.`,
      ),
      ...Array.from(
        { length: 6 },
        (_, i) => `Wonderful and moving, a great cast. The plot is about two brothers in the city ${i}.`,
      ),
    ];
    const labels = Uint8Array.from(reviews, (_, i) => (i < 6 || i >= 12 ? 1 : 0));
    const plain = fitSentimentModel(reviews, labels, TINY_OPTIONS).model;
    const centred = fitSentimentModel(reviews, labels, { ...TINY_OPTIONS, sentencePrior: true }).model;
    const sentences = reviews.flatMap((r, i) => splitSentences(r).map((s) => [s, labels[i]] as const));
    const positiveShare = (m: typeof plain) =>
      sentences.filter(([s]) => m.predict(s).sentiment === 'positive').length / sentences.length;
    const labelled = sentences.filter(([, l]) => l === 1).length / sentences.length;
    expect(Math.abs(positiveShare(centred) - labelled)).toBeLessThanOrEqual(1 / sentences.length);
    expect(centred.parameters.weights).toEqual(plain.parameters.weights);
    expect(centred.parameters.intercept).not.toBe(plain.parameters.intercept);
  });

  it('gives a source weight the effect of repeating its rows', () => {
    const weights = Float64Array.from(TINY_LABELS, (_, i) => (i === 0 ? 2 : 1));
    const weighted = fitSentimentModel(TINY_TEXTS, TINY_LABELS, TINY_OPTIONS, {}, {}, weights).model
      .parameters;
    const plain = fitSentimentModel(TINY_TEXTS, TINY_LABELS, TINY_OPTIONS).model.parameters;
    expect(weighted.weights).not.toEqual(plain.weights);
    expect(() => fitSentimentModel(TINY_TEXTS, TINY_LABELS, TINY_OPTIONS, {}, {}, [1])).toThrow(
      /one sample weight/,
    );
  });
});

describe("fitSentimentModel and the solver's threads", () => {
  it('readies them once, with the counts, for all its solves, and frees them after, even on failure', () => {
    const events: string[] = [];
    const products: ColumnProductsFactory = Object.assign(
      (X: ColumnSource) => {
        events.push('solve');
        return serialColumnProducts(X);
      },
      {
        prepare: (entries: number) => events.push(`prepare ${entries}`),
        release: () => events.push('release'),
      },
    );
    const counts = countTerms(TINY_TEXTS, TINY_OPTIONS.tfidf);
    const blend = { ...TINY_OPTIONS, naiveBayesBlend: { share: 0.25, C: 3, alpha: 1 } };
    fitSentimentModel(TINY_TEXTS, TINY_LABELS, blend, {}, {}, undefined, counts, products);
    expect(events).toEqual([`prepare ${counts.raw.nnz}`, 'solve', 'solve', 'release']);
    events.length = 0;
    // Every term pruned: the fit fails before its first solve, and still frees them.
    const pruned = { ...TINY_OPTIONS, tfidf: { ...TINY_OPTIONS.tfidf, minDf: TINY_TEXTS.length + 1 } };
    expect(() =>
      fitSentimentModel(TINY_TEXTS, TINY_LABELS, pruned, {}, {}, undefined, undefined, products),
    ).toThrow(/no terms remain/);
    expect(events).toEqual([expect.stringMatching(/^prepare \d+$/), 'release']);
  });
});
