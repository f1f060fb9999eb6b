/** Pairs a table makes room for before it is asked to grow. */
const MAX_RESERVED = 1 << 24;
/** Words a slot holds: the key's two halves and the value + 1 (0: empty); the fourth keeps slots aligned. */
const STRIDE = 4;

/**
 * Open addressing over pairs of 32-bit integers, each with a 32-bit value: the n-grams of n ≥ 2 as
 * (the id of their first n - 1 tokens, the id of their last token). One slot is one probe of 16
 * bytes, so a lookup costs one cache miss and no byte comparisons. Its slots can be sent to another
 * thread and taken up there (`over`).
 */
export class PairTable {
  private constructor(
    private slotWords: Uint32Array,
    private mask: number,
    private count: number,
  ) {}

  /**
   * A table with room for about `expected` pairs before it first grows; at most `MAX_RESERVED`
   * (512 MiB of slots) are reserved up front, however large the estimate: beyond, it grows.
   */
  static withCapacity(expected: number): PairTable {
    const slots = 2 ** Math.ceil(Math.log2(Math.max(1 << 10, Math.min(expected, MAX_RESERVED) * 2)));
    return new PairTable(new Uint32Array(slots * STRIDE), slots - 1, 0);
  }

  /** The table whose slots are `words` (another table's `words`, holding `size` pairs). */
  static over(words: Uint32Array, size: number): PairTable {
    const slots = words.length / STRIDE;
    if (!Number.isInteger(slots) || slots < 1 || (slots & (slots - 1)) !== 0 || size * 2 > slots)
      throw new RangeError('pair table slots must be a power of two, at most half full');
    return new PairTable(words, slots - 1, size);
  }

  get size(): number {
    return this.count;
  }

  /** The slots, to send to another thread. */
  get words(): Uint32Array {
    return this.slotWords;
  }

  /** The slot holding pair (a, b), or the empty slot where it belongs. */
  find(a: number, b: number): number {
    return this.findFrom(this.home(a, b), a, b);
  }

  /**
   * The slot where the search for pair (a, b) starts. Finding many pairs, a caller can take all
   * their homes first and load them (`touch`): independent loads, whose cache misses the processor
   * overlaps, where `find` after `find` waits for each in turn. The homes stay valid while the
   * table does not grow (`reserve`).
   */
  home(a: number, b: number): number {
    let h = Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 13;
    return (h & this.mask) * STRIDE;
  }

  /** Loads the slot at `home` into cache; returns a word of it (use it, so the load is not dropped). */
  touch(home: number): number {
    return this.slotWords[home + 2];
  }

  /** `find` from pair (a, b)'s `home`. */
  findFrom(home: number, a: number, b: number): number {
    const words = this.slotWords;
    const mask = this.mask * STRIDE + STRIDE - 1;
    for (let slot = home; ; slot = (slot + STRIDE) & mask) {
      if (words[slot + 2] === 0 || (words[slot] === a && words[slot + 1] === b)) return slot;
    }
  }

  /** Grows now, if needed, so that `more` pairs can be inserted without growing. */
  reserve(more: number): void {
    while ((this.count + more) * 2 > this.mask + 1) this.rehash();
  }

  /** The value at `slot` (from `find`), or -1 when the slot is empty. */
  valueAt(slot: number): number {
    return this.slotWords[slot + 2] - 1;
  }

  /** Stores (a, b) → value in the empty `slot` that `find(a, b)` gave; returns where it is then. */
  insert(slot: number, a: number, b: number, value: number): number {
    const words = this.slotWords;
    words[slot] = a;
    words[slot + 1] = b;
    words[slot + 2] = value + 1;
    this.count++;
    if (this.count * 2 <= this.mask + 1) return slot;
    this.rehash();
    return this.find(a, b);
  }

  private rehash(): void {
    const old = this.slotWords;
    this.slotWords = new Uint32Array(old.length * 2);
    this.mask = this.mask * 2 + 1;
    for (let slot = 0; slot < old.length; slot += STRIDE) {
      if (old[slot + 2] === 0) continue;
      const at = this.find(old[slot], old[slot + 1]);
      this.slotWords[at] = old[slot];
      this.slotWords[at + 1] = old[slot + 1];
      this.slotWords[at + 2] = old[slot + 2];
    }
  }
}
