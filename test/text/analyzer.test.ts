import { describe, expect, it } from 'vitest';
import {
  AnalysisBudgetError,
  Analyzer,
  type AnalyzerOptions,
  SKLEARN_ANALYZER,
  TokenStream,
} from '../../src/text/analyzer.js';
import { encodeTexts } from '../../src/text/encoded-texts.js';
import { ENGLISH_STOP_WORDS } from '../../src/text/tables.js';
import { hashBytes } from '../../src/text/term-table.js';
import { isWordCodePoint, stripAccentsAscii, stripAccentsUnicode } from '../../src/text/unicode.js';

const decoder = new TextDecoder();
const analyze = (text: string, options: Partial<AnalyzerOptions> = {}) =>
  new Analyzer({ ...SKLEARN_ANALYZER, ...options }).analyze(text);

describe('Analyzer (scikit-learn word analyzer)', () => {
  it('keeps runs of two or more word characters, lowercased', () => {
    expect(analyze('Great movie, I loved it!!! A+')).toEqual(['great', 'movie', 'loved', 'it']);
  });

  it('treats letters and digits of every script as word characters, as Python does', () => {
    expect(analyze('Größe ελληνικά 日本語 ١٢٣ ½½')).toEqual(['größe', 'ελληνικά', '日本語', '١٢٣', '½½']);
  });

  it('counts underscores as word characters and splits on apostrophes and hyphens', () => {
    expect(analyze("snake_case __ don't well-known")).toEqual(['snake_case', '__', 'don', 'well', 'known']);
  });

  it('does not treat combining marks or emoji as word characters', () => {
    expect(analyze('cafe\u0301 text😀text')).toEqual(['cafe', 'text', 'text']);
  });

  it('reads astral-plane letters as one character each', () => {
    // U+1D400 MATHEMATICAL BOLD CAPITAL A is a letter outside the BMP.
    expect(analyze('\u{1d400}\u{1d401} x\u{1d400}')).toEqual(['\u{1d400}\u{1d401}', 'x\u{1d400}']);
  });

  it('builds n-grams in scikit-learn order: all unigrams, then bigrams', () => {
    expect(analyze('the film is good', { ngramRange: [1, 2] })).toEqual([
      'the',
      'film',
      'is',
      'good',
      'the film',
      'film is',
      'is good',
    ]);
    expect(analyze('a bb cc dd', { ngramRange: [2, 3] })).toEqual(['bb cc', 'cc dd', 'bb cc dd']);
  });

  it('removes English stop words before forming n-grams', () => {
    expect(analyze('this is not the best film', { stopWords: 'english', ngramRange: [1, 2] })).toEqual([
      'best',
      'film',
      'best film',
    ]);
  });

  it('strips HTML tags only when asked', () => {
    expect(analyze('good<br /><br />fun')).toEqual(['good', 'br', 'br', 'fun']);
    expect(analyze('good<br /><br />fun', { stripHtml: true })).toEqual(['good', 'fun']);
  });

  it('keeps case when lowercase is off', () => {
    expect(analyze('Good GOOD good', { lowercase: false })).toEqual(['Good', 'GOOD', 'good']);
  });

  it('returns nothing for empty or whitespace-only text', () => {
    expect(analyze('')).toEqual([]);
    expect(analyze(' \t\n ')).toEqual([]);
  });

  it('rejects an invalid n-gram range', () => {
    expect(() => analyze('x', { ngramRange: [2, 1] })).toThrow(RangeError);
    expect(() => analyze('x', { ngramRange: [0, 1] })).toThrow(RangeError);
  });

  it('tokenizes ASCII text (compacted in place) and any other text alike, each token hashed', () => {
    // Python's \w on ASCII is [A-Za-z0-9_]: the reference tokenizer, on the preprocessed text.
    let state = 11;
    const next = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state >>> 8) % n;
    };
    const alphabet = "aAbBzZ09_ -.,!?'<>/\t\nThE";
    const texts = Array.from({ length: 300 }, (_, i) => {
      const ascii = Array.from({ length: next(60) }, () => alphabet[next(alphabet.length)]).join('');
      // Every third text has a character past ASCII, which takes the general path.
      return i % 3 === 0 ? `${ascii} Éa ${ascii}` : ascii;
    });
    // Characters past ASCII only inside a tag, a lone surrogate (UTF-8 has none: U+FFFD), tags cut short.
    texts.push('good <é> fun', 'a<b<c>d', 'bad\ud800film', '<br />Éa<br', 'x>y<', '<<a>>');
    const settings: Partial<AnalyzerOptions>[] = [
      {},
      { lowercase: false },
      { stopWords: 'english' },
      { tokenPattern: 'single-character' },
      { stripHtml: true },
      { stripHtml: true, stripAccents: 'unicode' },
      { stripAccents: 'ascii' },
    ];
    for (const options of settings) {
      const analyzer = new Analyzer({ ...SKLEARN_ANALYZER, ...options });
      const pattern =
        options.tokenPattern === 'single-character' ? /[\p{L}\p{N}_]+/gu : /[\p{L}\p{N}_]{2,}/gu;
      const stopWords = new Set(options.stopWords === 'english' ? ENGLISH_STOP_WORDS : []);
      const stream = new TokenStream();
      for (const text of texts) {
        const expected = (analyzer.preprocess(text).match(pattern) ?? []).filter((t) => !stopWords.has(t));
        analyzer.tokenize(text, stream);
        const tokens = Array.from({ length: stream.count }, (_, k) =>
          decoder.decode(stream.bytes.subarray(stream.starts[k], stream.ends[k])),
        );
        expect(tokens, `${JSON.stringify(options)} ${JSON.stringify(text)}`).toEqual(expected);
        for (let k = 0; k < stream.count; k++) {
          expect(stream.hashes[k]).toBe(hashBytes(stream.bytes, stream.starts[k], stream.ends[k]));
          // One space between tokens: an n-gram is a contiguous range.
          if (k > 0) expect(stream.starts[k]).toBe(stream.ends[k - 1] + 1);
        }
        expect(stream.analyzedChars).toBe(analyzer.preprocess(text).length);
      }
      // The same texts as UTF-8 bytes (a counting thread's), tokenized without being strings.
      const encoded = encodeTexts(texts);
      const byString = new TokenStream();
      texts.forEach((text, i) => {
        analyzer.tokenizeUtf8(encoded.bytes, i === 0 ? 0 : encoded.ends[i - 1], encoded.ends[i], stream);
        analyzer.tokenize(text.replace(/\ud800/g, '\ufffd'), byString);
        const label = `${JSON.stringify(options)} ${JSON.stringify(text)}`;
        expect(stream.count, label).toBe(byString.count);
        for (let k = 0; k < stream.count; k++) {
          const token = stream.bytes.subarray(stream.starts[k], stream.ends[k]);
          expect(token, label).toEqual(byString.bytes.subarray(byString.starts[k], byString.ends[k]));
          expect(stream.hashes[k]).toBe(byString.hashes[k]);
          if (k > 0) expect(stream.starts[k]).toBe(stream.ends[k - 1] + 1);
        }
        expect(stream.analyzedChars, label).toBe(byString.analyzedChars);
      });
    }
  });

  it('refuses a text over the budget once its tags are stripped, not before', () => {
    const analyzer = new Analyzer({ ...SKLEARN_ANALYZER, stripHtml: true });
    const stream = new TokenStream();
    // 19 characters, 9 once each tag is a space.
    analyzer.tokenize('good<br /><br />fun', stream, 9);
    expect(stream.analyzedChars).toBe(9);
    expect(() => analyzer.tokenize('good<br /><br />funny', stream, 9)).toThrow(AnalysisBudgetError);
    expect(() => analyzer.tokenize('good<br /><br />fün', stream, 9)).not.toThrow();
    expect(() => analyzer.tokenize('good<br /><br />fün!', stream, 9)).toThrow(AnalysisBudgetError);
  });
});

describe('Unicode helpers', () => {
  it('classifies code points like Python re \\w', () => {
    expect(isWordCodePoint('_'.codePointAt(0)!)).toBe(true);
    expect(isWordCodePoint('é'.codePointAt(0)!)).toBe(true);
    expect(isWordCodePoint('\u0301'.codePointAt(0)!)).toBe(false);
    expect(isWordCodePoint('²'.codePointAt(0)!)).toBe(true);
    expect(isWordCodePoint('\u00a0'.codePointAt(0)!)).toBe(false);
    expect(isWordCodePoint('😀'.codePointAt(0)!)).toBe(false);
  });

  it('strips accents like strip_accents_unicode and strip_accents_ascii', () => {
    expect(stripAccentsUnicode('Crème brûlée ﬁ')).toBe('Creme brulee fi');
    expect(stripAccentsAscii('Crème brûlée 日本')).toBe('Creme brulee ');
    expect(stripAccentsUnicode('plain')).toBe('plain');
  });
});

describe('TermTable', () => {
  it('finds every term of a frozen (packed) table, refuses duplicates, and can grow after all', async () => {
    const { TermTable } = await import('../../src/text/term-table.js');
    const encoder = new TextEncoder();
    const terms = Array.from({ length: 5000 }, (_, i) => `term ${i} ünï`);
    const bytes = encoder.encode(terms.join(''));
    const lengths = terms.map((t) => encoder.encode(t).length);
    const table = TermTable.fromLengths(bytes, lengths);
    terms.forEach((term, id) => {
      const b = encoder.encode(term);
      expect(table.lookup(b, 0, b.length)).toBe(id);
    });
    const missing = encoder.encode('term 5000 ünï');
    expect(table.lookup(missing, 0, missing.length)).toBe(-1);
    expect(() => TermTable.fromLengths(encoder.encode('abab'), [2, 2])).toThrow(/duplicate/);
    expect(table.intern(missing, 0, missing.length)).toBe(5000);
    expect(table.lookup(encoder.encode('term 7 ünï'), 0, encoder.encode('term 7 ünï').length)).toBe(7);
    expect(table.term(5000)).toBe('term 5000 ünï');
  });
});
