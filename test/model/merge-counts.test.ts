import { describe, expect, it } from 'vitest';
import { countShard, fitTfidf } from '../../src/model/count-ngrams.js';
import { mergeTermCounts } from '../../src/model/merge-counts.js';
import { SKLEARN_TFIDF, TfidfVectorizer } from '../../src/model/vectorizer.js';
import { encodeTexts } from '../../src/text/encoded-texts.js';
import { expectSameTfidf, TINY_TEXTS } from './helpers.js';

const OPTIONS = { ...SKLEARN_TFIDF, ngramRange: [1, 2] as const, minDf: 2, sublinearTf: true };

describe('counting shards of documents apart, then merging', () => {
  it.each([1, 2, 3, 5])('gives exactly the vocabulary, idf and matrix of one pass (%i shards)', (n) => {
    const whole = fitTfidf(TINY_TEXTS, OPTIONS);
    const size = Math.ceil(TINY_TEXTS.length / n);
    const shards = Array.from({ length: n }, (_, k) =>
      countShard(TINY_TEXTS.slice(k * size, (k + 1) * size), OPTIONS),
    );
    const merged = TfidfVectorizer.fromCounts(mergeTermCounts(shards), OPTIONS);
    expectSameTfidf(merged, whole);
  });

  it.each([
    [1, 3],
    [2, 3],
    [3, 3],
  ] as const)('merges longer n-grams by their prefix and last token (range %i-%i, 3 shards)', (min, max) => {
    const options = { ...OPTIONS, ngramRange: [min, max] as const, minDf: 1 };
    const texts = [...TINY_TEXTS, 'a great film, a great story', 'awful acting and a great film'];
    const whole = fitTfidf(texts, options);
    const shards = [texts.slice(0, 3), texts.slice(3, 6), texts.slice(6)].map((part) =>
      countShard(part, options),
    );
    expectSameTfidf(TfidfVectorizer.fromCounts(mergeTermCounts(shards), options), whole);
  });

  it("grows the first shard's pair table when later shards bring more pairs than it has room for", () => {
    // The first shard sized for its own few pairs; the second brings thousands of new ones, which
    // the third looks up again.
    const options = { ...OPTIONS, minDf: 1, ngramRange: [1, 3] as const };
    const long = Array.from({ length: 4000 }, (_, i) => `w${(i * 7) % 2000}`).join(' ');
    const texts = [...TINY_TEXTS, long, `${long} and more`];
    const whole = fitTfidf(texts, options);
    const shards = [texts.slice(0, -2), texts.slice(-2, -1), texts.slice(-1)].map((part) =>
      countShard(part, options),
    );
    expect(shards[1].pairCount * 2).toBeGreaterThan(shards[0].pairs.length / 4);
    expectSameTfidf(TfidfVectorizer.fromCounts(mergeTermCounts(shards), options), whole);
  });

  it.each([false, true])(
    'counts later shards sent as UTF-8 bytes alike; a first shard with room for all keeps its rows in place (room: %s)',
    (room) => {
      const texts = [...TINY_TEXTS, 'Déjà vu: a film <br />of rare power', 'ÉNORME film, énorme'];
      const options = { ...OPTIONS, stripHtml: true };
      const whole = fitTfidf(texts, options);
      // The first shard, one text, has room for its own entries only unless told of the others.
      const first = countShard(texts.slice(0, 1), options, room ? { allDocuments: texts } : {});
      const later = [texts.slice(1, 8), texts.slice(8)].map((part) => countShard(encodeTexts(part), options));
      const merged = mergeTermCounts([first, ...later]);
      expect(merged.raw.indices.buffer === first.raw.indices.buffer).toBe(room);
      expect(merged.raw.data.buffer === first.raw.data.buffer).toBe(room);
      expectSameTfidf(TfidfVectorizer.fromCounts(merged, options), whole);
    },
  );

  it('keeps a shard with no n-grams (rows of nothing) in its place', () => {
    const texts = ['great film', '!!', 'awful film', 'great acting'];
    const whole = fitTfidf(texts, SKLEARN_TFIDF);
    const shards = [texts.slice(0, 1), texts.slice(1, 2), texts.slice(2)].map((part) =>
      countShard(part, SKLEARN_TFIDF),
    );
    const merged = TfidfVectorizer.fromCounts(mergeTermCounts(shards), SKLEARN_TFIDF);
    expect(Array.from(merged.matrix.indptr)).toEqual(Array.from(whole.matrix.indptr));
    expect(Array.from(merged.matrix.indices)).toEqual(Array.from(whole.matrix.indices));
  });
});
