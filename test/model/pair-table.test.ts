import { describe, expect, it } from 'vitest';
import { PairTable } from '../../src/model/pair-table.js';

describe('a table of integer pairs', () => {
  it('finds every pair inserted, through growth, and misses the others', () => {
    const table = PairTable.withCapacity(4);
    const key = (i: number) => [i % 97, (i * 7919) >>> 0] as const;
    for (let i = 0; i < 5000; i++) {
      const [a, b] = key(i);
      const slot = table.find(a, b);
      expect(table.valueAt(slot)).toBe(-1);
      table.insert(slot, a, b, i);
    }
    expect(table.size).toBe(5000);
    for (let i = 0; i < 5000; i++) expect(table.valueAt(table.find(...key(i)))).toBe(i);
    expect(table.valueAt(table.find(97, 0))).toBe(-1);
    expect(table.valueAt(table.find(0, 1))).toBe(-1);
    // (a, b) and (b, a) are different pairs.
    expect(table.valueAt(table.find(7919, 1))).toBe(-1);
  });

  it('finds from homes taken ahead, which stay valid through inserts once room is reserved', () => {
    const table = PairTable.withCapacity(4);
    const key = (i: number) => [(i * 31) % 1009, i >>> 3] as const;
    let next = 0;
    // Batches of pairs, some seen before, as a document's n-grams: room reserved, every home
    // taken, then each found from its home and inserted if new. The table grows between batches.
    for (let batch = 0; batch < 40; batch++) {
      const keys = Array.from({ length: 50 + batch * 10 }, (_, k) => key(k % 3 === 0 ? k : next++));
      table.reserve(keys.length);
      const size = table.words.length;
      const homes = keys.map(([a, b]) => table.home(a, b));
      keys.forEach(([a, b], k) => {
        const slot = table.findFrom(homes[k], a, b);
        expect(slot).toBe(table.find(a, b));
        if (table.valueAt(slot) < 0) table.insert(slot, a, b, a * 100_000 + b);
      });
      expect(table.words.length).toBe(size);
    }
    expect(table.words.length).toBeGreaterThan(4 * 1024);
    for (let i = 0; i < next; i++) {
      const [a, b] = key(i);
      expect(table.valueAt(table.find(a, b))).toBe(a * 100_000 + b);
    }
  });

  it('reserves at most 2^24 pairs up front, however many are expected', () => {
    expect(PairTable.withCapacity(1e12).words.length).toBe(4 * 2 ** 25);
    expect(PairTable.withCapacity(3000).words.length).toBe(4 * 8192);
  });

  it('keeps extreme keys apart, 0 and 2³² - 1 included', () => {
    const table = PairTable.withCapacity(4);
    const keys = [
      [0, 0],
      [0, 0xffffffff],
      [0xffffffff, 0],
      [0xffffffff, 0xffffffff],
    ];
    keys.forEach(([a, b], value) => {
      table.insert(table.find(a, b), a, b, value);
    });
    keys.forEach(([a, b], value) => {
      expect(table.valueAt(table.find(a, b))).toBe(value);
    });
  });

  it('is taken up over another table’s slots, and refuses slots that cannot be a table', () => {
    const table = PairTable.withCapacity(10);
    table.insert(table.find(3, 4), 3, 4, 12);
    const copy = PairTable.over(table.words.slice(), table.size);
    expect(copy.valueAt(copy.find(3, 4))).toBe(12);
    expect(() => PairTable.over(new Uint32Array(12), 0)).toThrow(RangeError);
    expect(() => PairTable.over(new Uint32Array(16), 3)).toThrow(RangeError);
  });
});
