import { describe, expect, it } from 'vitest';
import { countTerms } from '../../src/model/count-ngrams.js';
import { SKLEARN_TFIDF, TfidfVectorizer } from '../../src/model/vectorizer.js';
import { countTermsInParallel, MIN_DOCUMENTS_PER_THREAD } from '../../src/training/parallel-count.js';
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

  it('counts in place when there are too few documents to share', async () => {
    const few = texts.slice(0, MIN_DOCUMENTS_PER_THREAD);
    const counted = await countTermsInParallel(few, options, 8);
    expect(counted.raw.rows).toBe(few.length);
  });
});
