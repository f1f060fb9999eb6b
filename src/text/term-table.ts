const EMPTY = -1;
const textDecoder = new TextDecoder();

/** FNV-1a over a byte range. */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
  return hash >>> 0;
}

/**
 * A set of terms keyed by their UTF-8 bytes, each with a dense id in insertion order.
 * Lookups take a byte range of any buffer, so the hot path allocates no strings.
 */
export class TermTable {
  private arena: Uint8Array;
  private arenaLength = 0;
  private starts: Uint32Array;
  private hashes: Uint32Array;
  private slots: Int32Array;
  private mask: number;
  private count = 0;

  constructor(expectedTerms = 1024, expectedBytes = expectedTerms * 8) {
    this.arena = new Uint8Array(Math.max(16, expectedBytes));
    this.starts = new Uint32Array(Math.max(16, expectedTerms) + 1);
    this.hashes = new Uint32Array(Math.max(16, expectedTerms));
    const slotCount = 2 ** Math.ceil(Math.log2(Math.max(32, expectedTerms * 2)));
    this.slots = new Int32Array(slotCount).fill(EMPTY);
    this.mask = slotCount - 1;
  }

  /** Builds a table over terms stored back to back in `bytes`, term `i` ending at `ends[i]`. */
  static fromConcatenated(bytes: Uint8Array, ends: Uint32Array): TermTable {
    const table = new TermTable(ends.length, 0);
    table.arena = bytes;
    table.arenaLength = bytes.length;
    let start = 0;
    for (let id = 0; id < ends.length; id++) {
      const end = ends[id];
      if (end < start || end > bytes.length) throw new RangeError(`term ${id} ends outside its section`);
      const hash = hashBytes(bytes, start, end);
      if (table.find(bytes, start, end, hash) !== EMPTY) throw new RangeError(`term ${id} is a duplicate`);
      table.starts[id] = start;
      table.hashes[id] = hash;
      table.place(id, hash);
      start = end;
    }
    table.count = ends.length;
    table.starts[ends.length] = start;
    return table;
  }

  /** Builds a table from strings, in order. */
  static fromTerms(terms: Iterable<string>): TermTable {
    const encoder = new TextEncoder();
    const table = new TermTable();
    for (const term of terms) {
      const bytes = encoder.encode(term);
      table.intern(bytes, 0, bytes.length);
    }
    return table;
  }

  get size(): number {
    return this.count;
  }

  /** The id of the term spelled by `bytes[start, end)`, or -1. */
  lookup(bytes: Uint8Array, start: number, end: number): number {
    return this.find(bytes, start, end, hashBytes(bytes, start, end));
  }

  /** The id of the term spelled by `bytes[start, end)`, inserted if new. */
  intern(bytes: Uint8Array, start: number, end: number): number {
    const hash = hashBytes(bytes, start, end);
    const found = this.find(bytes, start, end, hash);
    if (found !== EMPTY) return found;
    const id = this.count;
    const length = end - start;
    if (this.arenaLength + length > this.arena.length) {
      const grown = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLength + length));
      grown.set(this.arena.subarray(0, this.arenaLength));
      this.arena = grown;
    }
    this.arena.set(bytes.subarray(start, end), this.arenaLength);
    if (id + 1 >= this.starts.length || id >= this.hashes.length) {
      const starts = new Uint32Array(this.starts.length * 2);
      starts.set(this.starts);
      this.starts = starts;
      const hashes = new Uint32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.starts[id] = this.arenaLength;
    this.arenaLength += length;
    this.starts[id + 1] = this.arenaLength;
    this.hashes[id] = hash;
    this.count++;
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(id, hash);
    return id;
  }

  /** The UTF-8 bytes of term `id` (a view, not a copy). */
  bytesOf(id: number): Uint8Array {
    return this.arena.subarray(this.starts[id], this.starts[id + 1]);
  }

  /** Term `id` as a string. */
  term(id: number): string {
    return textDecoder.decode(this.bytesOf(id));
  }

  /** Every term, in id order. */
  terms(): string[] {
    const out = new Array<string>(this.count);
    for (let id = 0; id < this.count; id++) out[id] = this.term(id);
    return out;
  }

  /** The terms' bytes back to back and where each ends: the inverse of `fromConcatenated`. */
  toConcatenated(): { bytes: Uint8Array; ends: Uint32Array } {
    return {
      bytes: this.arena.slice(0, this.arenaLength),
      ends: this.starts.slice(1, this.count + 1),
    };
  }

  /** Compares terms `a` and `b` by their bytes: UTF-8 byte order is code-point order, as Python sorts. */
  compare(a: number, b: number): number {
    const arena = this.arena;
    let i = this.starts[a];
    const aEnd = this.starts[a + 1];
    let j = this.starts[b];
    const bEnd = this.starts[b + 1];
    while (i < aEnd && j < bEnd) {
      const d = arena[i++] - arena[j++];
      if (d !== 0) return d;
    }
    return aEnd - i - (bEnd - j);
  }

  private find(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const length = end - start;
    const arena = this.arena;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const id = this.slots[slot];
      if (id === EMPTY) return EMPTY;
      if (this.hashes[id] !== hash) continue;
      const termStart = this.starts[id];
      if (this.starts[id + 1] - termStart !== length) continue;
      let k = 0;
      while (k < length && arena[termStart + k] === bytes[start + k]) k++;
      if (k === length) return id;
    }
  }

  private place(id: number, hash: number): void {
    let slot = hash & this.mask;
    while (this.slots[slot] !== EMPTY) slot = (slot + 1) & this.mask;
    this.slots[slot] = id;
  }

  private rehash(slotCount: number): void {
    this.slots = new Int32Array(slotCount).fill(EMPTY);
    this.mask = slotCount - 1;
    for (let id = 0; id < this.count; id++) this.place(id, this.hashes[id]);
  }
}
