import { describe, expect, it } from 'vitest';
import { countShard, countTerms, fitTfidf } from '../../src/model/count-ngrams.js';
import { NO_PREFIX } from '../../src/model/merge-counts.js';
import { SKLEARN_TFIDF } from '../../src/model/vectorizer.js';
import { Analyzer, type AnalyzerOptions } from '../../src/text/analyzer.js';

/** The plain way: every n-gram in range as a string, ids in order of first appearance, one row per text. */
function reference(texts: readonly string[], options: AnalyzerOptions) {
  const analyzer = new Analyzer(options);
  const ids = new Map<string, number>();
  const rows = texts.map((text) => {
    const row = new Map<number, number>();
    for (const gram of analyzer.analyze(text)) {
      if (!ids.has(gram)) ids.set(gram, ids.size);
      const id = ids.get(gram) ?? -1;
      row.set(id, (row.get(id) ?? 0) + 1);
    }
    return [...row];
  });
  return { terms: [...ids.keys()], rows };
}

const decoder = new TextDecoder();
const TEXTS = [
  'the film the film the film was good',
  '',
  'good good good',
  'a b c a b c a b d, and b c a',
  'the end. The End! THE END?',
  'x',
  'not good, not bad: the film was not good at all',
  // Thousands of distinct n-grams in one document: the pair table grows while counting it.
  Array.from({ length: 3000 }, (_, i) => `w${(i * 7) % 1500}`).join(' '),
];
const OPTIONS = { ...SKLEARN_TFIDF, tokenPattern: 'single-character' as const };

describe('counting n-grams by (prefix, last token) pairs', () => {
  it.each([
    [1, 1],
    [1, 2],
    [1, 3],
    [1, 4],
  ] as const)(
    'gives the terms, ids and rows of interning every n-gram as a string (range %i-%i)',
    (min, max) => {
      const options = { ...OPTIONS, ngramRange: [min, max] as const };
      const expected = reference(TEXTS, options);
      const { terms, raw } = countTerms(TEXTS, options);
      expect(Array.from({ length: terms.size }, (_, id) => decoder.decode(terms.bytesOf(id)))).toEqual(
        expected.terms,
      );
      const rows = Array.from({ length: raw.rows }, (_, i) => {
        const row: [number, number][] = [];
        for (let k = raw.indptr[i]; k < raw.indptr[i + 1]; k++) row.push([raw.indices[k], raw.data[k]]);
        return row;
      });
      expect(rows).toEqual(expected.rows);
    },
  );

  it.each([
    [2, 2],
    [2, 3],
    [3, 3],
  ] as const)('counts only the n-grams in range %i-%i; shorter ones get ids but no entries', (min, max) => {
    const options = { ...OPTIONS, ngramRange: [min, max] as const };
    const expected = reference(TEXTS, options);
    const { terms, raw } = countTerms(TEXTS, options);
    const spelled = Array.from({ length: terms.size }, (_, id) => decoder.decode(terms.bytesOf(id)));
    const counted = new Set(Array.from(raw.indices));
    expect(spelled.filter((_, id) => counted.has(id))).toEqual(expected.terms);
    for (let id = 0; id < spelled.length; id++)
      if (!counted.has(id)) expect(spelled[id].split(' ').length).toBeLessThan(min);
    expect(Array.from(raw.data)).toEqual(expected.rows.flatMap((row) => row.map(([, count]) => count)));
  });

  it('records each term as its prefix term followed by its last token, tokens having none', () => {
    const shard = countShard(['one two three', 'two three four'], { ...OPTIONS, ngramRange: [1, 3] });
    const spell = (id: number) =>
      decoder.decode(shard.bytes.subarray(shard.starts[id], shard.starts[id + 1]));
    for (let id = 0; id < shard.prefixes.length; id++) {
      if (shard.prefixes[id] === NO_PREFIX) {
        expect(spell(id)).not.toContain(' ');
        continue;
      }
      expect(shard.prefixes[id]).toBeLessThan(id);
      expect(spell(id)).toBe(`${spell(shard.prefixes[id])} ${spell(shard.lasts[id])}`);
    }
  });

  it('keeps n-grams of other lengths out of the vocabulary, even with minDf 0', () => {
    const fitted = fitTfidf(['a b c', 'b c d'], {
      ...OPTIONS,
      ngramRange: [2, 2],
      minDf: 0,
    });
    expect(fitted.vectorizer.vocabulary.terms()).toEqual(['a b', 'b c', 'c d']);
  });

  it('refuses documents with no n-gram in range as an empty vocabulary', () => {
    expect(() => fitTfidf(['one', 'two'], { ...OPTIONS, ngramRange: [2, 2] })).toThrow(/empty vocabulary/);
  });
});
