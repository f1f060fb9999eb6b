import { describe, expect, it } from 'vitest';
import { countTerms } from '../../src/model/count-ngrams.js';
import { fitSentimentModel } from '../../src/model/fit.js';
import { type ColumnProductsFactory, serialColumnProducts } from '../../src/model/logistic-regression.js';
import { SKLEARN_TFIDF, TfidfVectorizer } from '../../src/model/vectorizer.js';
import {
  countingThreadsFor,
  countTermsInParallel,
  MIN_DOCUMENTS_PER_THREAD,
} from '../../src/training/parallel-count.js';
import { expectSameTfidf } from '../model/helpers.js';

const WORDS =
  'good bad great awful plot cast film movie boring moving superb dull script acting é 日本'.split(' ');
/** Deterministic pseudo-reviews: enough of them for three threads, with terms only late shards see. */
function reviews(n: number): string[] {
  let state = 7;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state;
  };
  return Array.from({ length: n }, (_, i) => {
    const words = Array.from({ length: 5 + (next() % 20) }, () => WORDS[next() % WORDS.length]);
    return `${words.join(' ')} review${i % 97} rare${i}`;
  });
}

describe('counting n-grams on worker threads', () => {
  const options = { ...SKLEARN_TFIDF, ngramRange: [1, 2] as const, minDf: 2 };
  const texts = reviews(3 * MIN_DOCUMENTS_PER_THREAD);

  it('gives the counts of one pass, so the same vocabulary, idf and matrix', async () => {
    const progress: number[] = [];
    const counted = await countTermsInParallel(texts, options, 3, (done) => progress.push(done));
    // The rows stay in shared memory, stacked in the first shard's room: the solver's threads read them.
    for (const array of [counted.raw.indptr, counted.raw.indices, counted.raw.data])
      expect(array.buffer).toBeInstanceOf(SharedArrayBuffer);
    const parallel = TfidfVectorizer.fromCounts(counted, options);
    expect(parallel.matrix.data.buffer).toBe(counted.raw.data.buffer);
    const serial = TfidfVectorizer.fromCounts(countTerms(texts, options), options);
    expectSameTfidf(parallel, serial);
    // Every thread reported, and the total reached all the documents.
    expect(progress.at(-1)).toBe(texts.length);
  }, 60_000);

  it('counts on threads started ahead, which serve every count they are given', async () => {
    const serial = TfidfVectorizer.fromCounts(countTerms(texts, options), options);
    const started = countingThreadsFor(3);
    expect(started.threadsStarted).toBe(2);
    try {
      for (let run = 0; run < 2; run++) {
        const counted = await countTermsInParallel(texts, options, 3, undefined, started);
        expectSameTfidf(TfidfVectorizer.fromCounts(counted, options), serial);
      }
      // Both counts on the two threads started ahead.
      expect(started.threadsStarted).toBe(2);
    } finally {
      started.close();
    }
  }, 60_000);

  it("leaves a fit's review and sentence rows stacked in shared memory, for the solver's threads", async () => {
    // Two sentences a review, so the fit stacks sentence rows under the reviews' (sentenceWeight).
    const documents = texts.map((text, i) => `${text}. Then the second sentence of review ${i % 7}.`);
    const labels = documents.map((_, i) => ((i * 7) % 3 === 0 ? 1 : 0));
    const counts = await countTermsInParallel(documents, options, 3);
    const seen: boolean[] = [];
    const spy: ColumnProductsFactory = (X) => {
      seen.push([X.indptr, X.indices, X.data].every((a) => a.buffer instanceof SharedArrayBuffer));
      return serialColumnProducts(X);
    };
    const fitOptions = {
      tfidf: options,
      logisticRegression: { C: 1, tol: 1e-4, maxIter: 3, fitIntercept: true },
      naiveBayesAlpha: null,
    };
    const { features } = fitSentimentModel(
      documents,
      labels,
      { ...fitOptions, sentenceWeight: 0.3 },
      {},
      {},
      undefined,
      counts,
      spy,
    );
    // The stacked matrix (reviews and sentences), shared; the reviews' own rows kept as they were.
    expect(seen).toEqual([true]);
    const serial = TfidfVectorizer.fromCounts(countTerms(documents, options), options).matrix;
    for (const key of ['indptr', 'indices', 'data'] as const)
      expect(Array.from(features[key])).toEqual(Array.from(serial[key]));
  }, 60_000);

  it('counts in place when there are too few documents to share', async () => {
    const few = texts.slice(0, MIN_DOCUMENTS_PER_THREAD);
    const counted = await countTermsInParallel(few, options, 8);
    expect(counted.raw.rows).toBe(few.length);
  });
});
