import { describe, expect, it } from 'vitest';
import { mergeTermCounts, toShardCounts } from '../../src/model/merge-counts.js';
import { countTerms, SKLEARN_TFIDF, TfidfVectorizer } from '../../src/model/vectorizer.js';
import { expectSameTfidf, TINY_TEXTS } from './helpers.js';

const OPTIONS = { ...SKLEARN_TFIDF, ngramRange: [1, 2] as const, minDf: 2, sublinearTf: true };

describe('counting shards of documents apart, then merging', () => {
  it.each([1, 2, 3, 5])('gives exactly the vocabulary, idf and matrix of one pass (%i shards)', (n) => {
    const whole = TfidfVectorizer.fitTransform(TINY_TEXTS, OPTIONS);
    const size = Math.ceil(TINY_TEXTS.length / n);
    const shards = Array.from({ length: n }, (_, k) =>
      toShardCounts(countTerms(TINY_TEXTS.slice(k * size, (k + 1) * size), OPTIONS)),
    );
    const merged = TfidfVectorizer.fromCounts(mergeTermCounts(shards), OPTIONS);
    expectSameTfidf(merged, whole);
  });

  it('keeps a shard with no n-grams (rows of nothing) in its place', () => {
    const texts = ['great film', '!!', 'awful film', 'great acting'];
    const whole = TfidfVectorizer.fitTransform(texts, SKLEARN_TFIDF);
    const shards = [texts.slice(0, 1), texts.slice(1, 2), texts.slice(2)].map((part) =>
      toShardCounts(countTerms(part, SKLEARN_TFIDF)),
    );
    const merged = TfidfVectorizer.fromCounts(mergeTermCounts(shards), SKLEARN_TFIDF);
    expect(Array.from(merged.matrix.indptr)).toEqual(Array.from(whole.matrix.indptr));
    expect(Array.from(merged.matrix.indices)).toEqual(Array.from(whole.matrix.indices));
  });
});
