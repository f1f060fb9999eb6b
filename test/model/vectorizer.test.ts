import { describe, expect, it } from 'vitest';
import { fitTfidf } from '../../src/model/count-ngrams.js';
import { DocumentTally, SKLEARN_TFIDF } from '../../src/model/vectorizer.js';

/** Python's sorted() on str: code-point order (not UTF-16 order, which differs above U+FFFF). */
const byCodePoint = (a: string, b: string) => {
  const [x, y] = [Array.from(a), Array.from(b)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i].codePointAt(0) ?? 0) - (y[i].codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
};

describe('the vocabulary order', () => {
  it('is code-point order, also for terms sharing their first five bytes, prefixes and non-ASCII', () => {
    const words = [
      'understand understated understatement understanding under underst understudy',
      'the movie the moviegoer the movies the moviemaker the mov',
      'ééé éé éèa éèà zebra ünder 𝒜lpha ﬁlm ｆilm 日本語 日本 a1 a10 a2',
    ];
    const vectorizer = fitTfidf(words, {
      ...SKLEARN_TFIDF,
      ngramRange: [1, 2],
    }).vectorizer;
    const terms = vectorizer.vocabulary.terms();
    expect(terms.length).toBeGreaterThan(40);
    expect(terms).toEqual([...terms].sort(byCodePoint));
    expect(new Set(terms).size).toBe(terms.length);
  });
});

describe('sublinear tf', () => {
  it('is exactly 1 + ln(count), for small counts and large ones', () => {
    const counts = [1, 2, 3, 7, 63, 64, 65, 200];
    const text = counts.map((count, i) => `w${i} `.repeat(count)).join(' ');
    const fitted = fitTfidf([text], {
      ...SKLEARN_TFIDF,
      sublinearTf: true,
      useIdf: false,
      norm: 'none',
    });
    const terms = fitted.vectorizer.vocabulary.terms();
    const { indices, data } = fitted.matrix;
    const byTerm = new Map(Array.from(indices, (column, k) => [terms[column], data[k]]));
    counts.forEach((count, i) => {
      expect(byTerm.get(`w${i}`)).toBe(Math.log(count) + 1);
    });
  });
});

describe('DocumentTally', () => {
  /** Each distinct term of `terms` in order of first appearance, with its count: what a tally must give. */
  const reference = (terms: number[]) => {
    const counts = new Map<number, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    return { ids: [...counts.keys()], values: [...counts.values()] };
  };
  const tallied = (tally: DocumentTally, terms: number[]) => {
    tally.begin();
    for (const term of terms) tally.add(term);
    return {
      ids: [...tally.ids.subarray(0, tally.length)],
      values: [...tally.values.subarray(0, tally.length)],
    };
  };

  it('counts each document apart, in order of first appearance, however many distinct terms it has', () => {
    const tally = new DocumentTally();
    // Terms far apart and close together, repeats, a document that repeats the one before's terms,
    // and a document of 5,000 distinct terms (its table grows several times while counting), then
    // small ones, with some of its terms, that must not see it.
    const large = Array.from({ length: 12_000 }, (_, i) => ((i * 7919) % 5000) * 1021);
    const documents = [
      [5, 3, 5, 0, 900_000, 3, 5],
      [7, 8],
      [8, 7],
      large,
      [3, 5, 3, 1021, 0, 2042, 1021],
      [],
      [4_000_000_000, 1, 4_000_000_000],
    ];
    for (const terms of documents) expect(tallied(tally, terms)).toEqual(reference(terms));
  });
});
