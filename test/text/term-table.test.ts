import { describe, expect, it } from 'vitest';
import { hashBytes, MAX_PROBE, TermTable } from '../../src/text/term-table.js';

const encoder = new TextEncoder();

/** Terms back to back with their lengths, as a model file holds them. */
function concatenated(terms: string[]): { bytes: Uint8Array; lengths: Uint32Array } {
  const parts = terms.map((t) => encoder.encode(t));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return { bytes, lengths: Uint32Array.from(parts, (p) => p.length) };
}

/** UTF-8 byte order, as scikit-learn numbers a vocabulary. */
const byteOrder = (terms: string[]) =>
  [...terms].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

const lookup = (table: TermTable, term: string) => {
  // Inside a larger buffer, at an offset: lookups take a byte range of any buffer.
  const bytes = encoder.encode(`<<${term}>>`);
  return table.lookup(bytes, 2, bytes.length - 2);
};

const vocabulary = byteOrder([
  'a',
  'a film',
  'ab',
  'b',
  'film',
  'films',
  'great',
  'great film',
  'zz',
  'é',
  'éa',
  '日本',
  '😀',
]);
// Prefixes, extensions, neighbours in order, the empty string and bytes past every term.
const absent = ['', 'aa', 'a fil', 'a films', 'fil', 'filmz', 'c', 'zzz', 'e', 'é ', '日', '😁', '~'];

describe('a table over sorted terms', () => {
  for (const index of ['eager', 'lazy'] as const) {
    it(`${index}: finds every term by its id and nothing else`, () => {
      const { bytes, lengths } = concatenated(vocabulary);
      const table = TermTable.fromSorted(bytes, lengths, { index })!;
      expect(table.size).toBe(vocabulary.length);
      expect(table.indexed).toBe(index === 'eager');
      vocabulary.forEach((term, id) => expect(lookup(table, term)).toBe(id));
      for (const term of absent) expect(lookup(table, term)).toBe(-1);
      expect(table.terms()).toEqual(vocabulary);
    });
  }

  it('lazy: answers by binary search, builds its index after the lookups it was given, same answers', () => {
    const terms = byteOrder(Array.from({ length: 500 }, (_, i) => `t${(i * 7919).toString(36)}`));
    const { bytes, lengths } = concatenated(terms);
    const table = TermTable.fromSorted(bytes, lengths, { index: 'lazy', lookupsBeforeIndex: 100 })!;
    for (let i = 0; i < 99; i++) expect(lookup(table, terms[i])).toBe(i);
    expect(table.indexed).toBe(false);
    expect(lookup(table, terms[99])).toBe(99);
    expect(table.indexed).toBe(true);
    terms.forEach((term, id) => expect(lookup(table, term)).toBe(id));
    expect(lookup(table, 'absent')).toBe(-1);
  });

  it('is refused (null) when the terms are out of order or repeat, for the hashing path to check', () => {
    for (const terms of [
      ['b', 'a'],
      ['film', 'fil'],
      ['a', 'a'],
      ['x', 'y', 'y', 'z'],
    ]) {
      const { bytes, lengths } = concatenated(terms);
      expect(TermTable.fromSorted(bytes, lengths, { index: 'lazy' })).toBeNull();
      expect(TermTable.fromSorted(bytes, lengths, { index: 'eager' })).toBeNull();
    }
    // The hashing path still refuses the duplicates.
    const { bytes, lengths } = concatenated(['x', 'y', 'y']);
    expect(() => TermTable.fromLengths(bytes, lengths)).toThrow(/duplicate/);
  });

  it('grows: a lazy table interns new terms and keeps the old ids', () => {
    const { bytes, lengths } = concatenated(vocabulary);
    const table = TermTable.fromSorted(bytes, lengths, { index: 'lazy' })!;
    const added = encoder.encode('new term');
    expect(table.intern(added, 0, added.length)).toBe(vocabulary.length);
    vocabulary.forEach((term, id) => expect(lookup(table, term)).toBe(id));
    expect(lookup(table, 'new term')).toBe(vocabulary.length);
  });

  describe('terms chosen to collide', () => {
    /** Sorted terms whose FNV-1a hashes all land on slot 0 of a table for that many terms. */
    function colliding(count: number): string[] {
      const mask = 2 ** Math.ceil(Math.log2(Math.max(32, count * 2))) - 1;
      const out: string[] = [];
      for (let i = 0; out.length < count; i++) {
        const bytes = encoder.encode(`c${i.toString(36)}`);
        if ((hashBytes(bytes, 0, bytes.length) & mask) === 0) out.push(`c${i.toString(36)}`);
      }
      return byteOrder(out);
    }
    const terms = colliding(MAX_PROBE + 10);

    it('eager: refused by name, as the hashing path refuses them', () => {
      const { bytes, lengths } = concatenated(terms);
      expect(() => TermTable.fromSorted(bytes, lengths, { index: 'eager' })).toThrow(/the terms collide/);
    });

    it('lazy: never indexed, every lookup still answered by binary search', () => {
      const { bytes, lengths } = concatenated(terms);
      const table = TermTable.fromSorted(bytes, lengths, { index: 'lazy', lookupsBeforeIndex: 1 })!;
      terms.forEach((term, id) => expect(lookup(table, term)).toBe(id));
      expect(table.indexed).toBe(false);
      expect(lookup(table, 'c')).toBe(-1);
    });
  });
});

describe("a loaded table's slots, which hold where each term is", () => {
  // Terms of 255 bytes or more, and terms that start 16 MB or more into the arena, are found through
  // `starts` instead; the others by the place their slot holds.
  const filler = 'a'.repeat(1 << 24);
  const long = `m${'x'.repeat(300)}`;
  const terms = byteOrder([
    filler,
    'b',
    'ba',
    'bb',
    `l${'y'.repeat(253)}`,
    `l${'y'.repeat(254)}`,
    `l${'y'.repeat(255)}`,
    long,
    'n',
  ]);
  const absent = [
    filler.slice(1),
    'bab',
    'c',
    `l${'y'.repeat(252)}`,
    `l${'y'.repeat(256)}`,
    long.slice(0, -1),
    `${long}x`,
  ];

  for (const [name, order] of [
    ['sorted (indexed in one pass)', terms],
    ['unsorted (placed one by one)', [...terms].reverse()],
  ] as const) {
    it(`${name}: every term found by its id, nothing else`, () => {
      const { bytes, lengths } = concatenated([...order]);
      const table = TermTable.fromLengths(bytes, lengths);
      order.forEach((term, id) => expect(lookup(table, term), term.slice(0, 8)).toBe(id));
      for (const term of absent) expect(lookup(table, term), term.slice(0, 8)).toBe(-1);
    });
  }

  it('tells a term from a key it starts with or that starts with it, by their lengths, when their hashes collide', () => {
    // The key looked up with the term's hash: the same slot and tag, so only the lengths tell them
    // apart. In the arena 'ke' is followed by a 'y', so a key 'key' compared byte by byte would match.
    const hashOf = (t: string) => hashBytes(encoder.encode(t), 0, encoder.encode(t).length);
    const key = encoder.encode('key');
    for (const [terms, term] of [
      [['keyx', 'z'], 'keyx'],
      [['z', 'keyx'], 'keyx'],
      [['ke', 'yz'], 'ke'],
      [['yz', 'ke', 'y'], 'ke'],
    ] as const) {
      const { bytes, lengths } = concatenated([...terms]);
      const table = TermTable.fromLengths(bytes, lengths);
      expect(table.lookup(key, 0, 3, hashOf(term)), terms.join()).toBe(-1);
      terms.forEach((t, id) => expect(lookup(table, t)).toBe(id));
    }
  });
});
