import { expect } from 'vitest';
import { fitSentimentModel, type ModelOptions } from '../../src/model/fit.js';
import { type FittedTfidf, SKLEARN_TFIDF } from '../../src/model/vectorizer.js';

/** A tiny deterministic corpus with an obvious signal. */
export const TINY_TEXTS = [
  'a great film, truly great acting',
  'wonderful and moving, a great story',
  'loved it, wonderful cast',
  'superb, moving, loved every minute',
  'terrible plot and awful acting',
  'boring, awful, a waste of time',
  'terrible, boring film',
  'awful script, hated it',
];
export const TINY_LABELS = Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0]);

export const TINY_OPTIONS: ModelOptions = {
  tfidf: { ...SKLEARN_TFIDF, ngramRange: [1, 2] },
  logisticRegression: { C: 10, tol: 1e-10, maxIter: 100, fitIntercept: true },
  naiveBayesAlpha: null,
};

export function tinyModel(options: Partial<ModelOptions> = {}) {
  return fitSentimentModel(TINY_TEXTS, TINY_LABELS, { ...TINY_OPTIONS, ...options }, { preset: 'tiny' })
    .model;
}

/** Two fits of a vectorizer are the same: vocabulary in order, idf and the matrix, bit for bit. */
export function expectSameTfidf(actual: FittedTfidf, expected: FittedTfidf): void {
  expect(actual.vectorizer.vocabulary.terms()).toEqual(expected.vectorizer.vocabulary.terms());
  expect(Array.from(actual.vectorizer.weighting.idf ?? [])).toEqual(
    Array.from(expected.vectorizer.weighting.idf ?? []),
  );
  expect(Array.from(actual.matrix.indptr)).toEqual(Array.from(expected.matrix.indptr));
  expect(Array.from(actual.matrix.indices)).toEqual(Array.from(expected.matrix.indices));
  expect(Array.from(actual.matrix.data)).toEqual(Array.from(expected.matrix.data));
}
