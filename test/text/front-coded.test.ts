import { describe, expect, it } from 'vitest';
import { expandFrontCoded, FrontCodedTerms, type FrontCoding } from '../../src/text/front-coded.js';
import { TermTable } from '../../src/text/term-table.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** UTF-8 byte order, as scikit-learn numbers a vocabulary. */
const byteOrder = (terms: string[]) =>
  [...new Set(terms)].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

/** Front coding as the model file stores it: a shared prefix of at most 255 bytes, then the rest. */
function frontCode(terms: string[]): FrontCoding {
  const encoded = terms.map((t) => encoder.encode(t));
  const prefixes = new Uint8Array(terms.length);
  const suffixLengths = new Uint16Array(terms.length);
  const parts: Uint8Array[] = [];
  encoded.forEach((term, i) => {
    const before = encoded[i - 1] ?? new Uint8Array(0);
    let shared = 0;
    while (shared < Math.min(255, term.length, before.length) && term[shared] === before[shared]) shared++;
    prefixes[i] = shared;
    suffixLengths[i] = term.length - shared;
    parts.push(term.subarray(shared));
  });
  return { prefixes, suffixLengths, suffixes: Buffer.concat(parts) };
}

const lookup = (terms: FrontCodedTerms | TermTable, term: string) => {
  // Inside a larger buffer, at an offset, as the analyzer hands n-grams over.
  const bytes = encoder.encode(`<<${term}>>`);
  return terms instanceof TermTable
    ? terms.lookup(bytes, 2, bytes.length - 2)
    : terms.search(bytes, 2, bytes.length - 2);
};

/** Words sharing prefixes in runs longer than the 16 terms between samples, bigrams, non-ASCII. */
function vocabulary(n: number): string[] {
  let state = 3;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state;
  };
  const stems = ['a', 'an', 'film', 'films', 'great', 'é', '日本', 'z', 'the', 'then'];
  return byteOrder(
    Array.from({ length: n }, (_, i) => {
      const stem = stems[next() % stems.length];
      return i % 3 === 0 ? `${stem} ${stems[next() % stems.length]}${next() % 50}` : `${stem}${next() % 400}`;
    }),
  );
}

describe('a front-coded vocabulary searched in place', () => {
  const terms = vocabulary(3_000);
  const coding = frontCode(terms);

  it('finds every term by its id, and what is between, before, after or a prefix of terms nowhere', () => {
    const coded = FrontCodedTerms.read(coding)!;
    expect(coded.count).toBe(terms.length);
    terms.forEach((term, id) => expect(lookup(coded, term)).toBe(id));
    const present = new Set(terms);
    const absent = [
      '',
      ' ',
      'a',
      'film',
      'films 9',
      'zz',
      'é',
      '日',
      '~~~',
      '\u0000',
      ...terms.map((t) => `${t}!`),
    ];
    absent.push(...terms.map((t) => t.slice(0, -1)));
    for (const probe of absent) if (!present.has(probe)) expect(lookup(coded, probe), probe).toBe(-1);
  });

  it('gives each term back, and all of them as the full expansion does', () => {
    const coded = FrontCodedTerms.read(coding)!;
    terms.forEach((term, id) => expect(decoder.decode(coded.termBytes(id))).toBe(term));
    const { bytes, starts } = coded.expand();
    const full = expandFrontCoded(coding);
    expect(full.ascending).toBe(true);
    expect(bytes).toEqual(full.bytes);
    expect(starts).toEqual(full.starts);
  });

  it('reads an empty vocabulary and a one-term one', () => {
    expect(lookup(FrontCodedTerms.read(frontCode([]))!, 'a')).toBe(-1);
    const one = FrontCodedTerms.read(frontCode(['only']))!;
    expect([lookup(one, 'only'), lookup(one, 'onl'), lookup(one, 'onlyx')]).toEqual([0, -1, -1]);
  });

  it('leaves terms whose order it cannot vouch for to the checking path (null)', () => {
    // Out of order, a repeated term, and a shared prefix longer than the 255 bytes stored.
    const long = 'x'.repeat(300);
    for (const unordered of [
      ['b', 'a'],
      ['a', 'a'],
      [`${long}a`, `${long}b`],
    ])
      expect(FrontCodedTerms.read(frontCode(unordered))).toBeNull();
  });

  it('refuses a term that shares more than the term before it has, and rests that do not add up', () => {
    const bad = frontCode(['ab', 'abc']);
    bad.prefixes[0] = 1;
    expect(() => FrontCodedTerms.read(bad)).toThrow(/term 0 shares 1 bytes with a 0-byte term/);
    const short = frontCode(['ab', 'abc']);
    expect(() => FrontCodedTerms.read({ ...short, suffixes: short.suffixes.subarray(1) })).toThrow(
      /rests add up to 3 bytes, the section holds 2/,
    );
  });
});

describe('a lazy table over front-coded terms', () => {
  const terms = vocabulary(2_000);

  it('answers as the eager table does, then builds its index after the lookups it was given', () => {
    const table = TermTable.overFrontCoded(FrontCodedTerms.read(frontCode(terms))!, {
      lookupsBeforeIndex: 50,
    });
    const eager = TermTable.fromTerms(terms);
    expect(table.size).toBe(terms.length);
    expect(terms.length).toBeGreaterThan(49 * 29);
    for (let i = 0; i < 49; i++) expect(lookup(table, terms[i * 29])).toBe(i * 29);
    expect(table.indexed).toBe(false);
    // Before anything needs them whole: a term's bytes and its string, from the front coding.
    expect(table.term(1234)).toBe(terms[1234]);
    expect(lookup(table, 'not a term')).toBe(-1);
    expect(table.indexed).toBe(true);
    terms.forEach((term, id) => {
      expect(lookup(table, term)).toBe(id);
      expect(lookup(eager, term)).toBe(id);
    });
    expect(table.terms()).toEqual(terms);
  });

  it('rebuilds its terms for what needs them all: every term, the concatenation, growing', () => {
    const fresh = () => TermTable.overFrontCoded(FrontCodedTerms.read(frontCode(terms))!);
    expect(fresh().terms()).toEqual(terms);
    expect(
      TermTable.fromLengths(fresh().toConcatenated().bytes, fresh().toConcatenated().lengths).terms(),
    ).toEqual(terms);
    const growing = fresh();
    const added = encoder.encode('zzz new term');
    expect(growing.intern(added, 0, added.length)).toBe(terms.length);
    expect(growing.intern(encoder.encode(terms[5]), 0, encoder.encode(terms[5]).length)).toBe(5);
    expect(growing.compare(0, 1)).toBeLessThan(0);
  });
});
