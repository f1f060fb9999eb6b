import type { FrontCodedTerms } from './front-coded.js';

const EMPTY = -1;
/** Ids a packed slot can hold (22 bits, less the empty marker). */
const PACKED_ID_LIMIT = (1 << 22) - 1;
/** A packed slot's second word when its term's place is only in `starts` (see `placeOf`). */
const PLACE_IN_STARTS = 0xffffffff;
const textDecoder = new TextDecoder();
/**
 * Longest probe sequence a loaded vocabulary may have. Real vocabularies stay far below it (the
 * default model's longest is about 30 at a load factor under 0.5); a file whose terms were chosen to
 * collide would make every load and lookup slow, so it is refused instead.
 */
export const MAX_PROBE = 128;
/** Slots visited while loading, per term, on average, at most (about 2.5 expected at our load factor). */
export const MAX_MEAN_PROBES = 4;

/**
 * Byte order of `a[aStart, aEnd)` against `b[bStart, bEnd)`: negative, 0 or positive. UTF-8 byte
 * order is code-point order, as Python sorts.
 */
export function compareBytes(
  a: Uint8Array,
  aStart: number,
  aEnd: number,
  b: Uint8Array,
  bStart: number,
  bEnd: number,
): number {
  let i = aStart;
  let j = bStart;
  while (i < aEnd && j < bEnd) {
    const d = a[i++] - b[j++];
    if (d !== 0) return d;
  }
  return aEnd - i - (bEnd - j);
}

/** FNV-1a over a byte range. */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  return continueHash(0x811c9dc5, bytes, start, end);
}

/** `hashBytes` of a range that extends one already hashed (`hash`) by `bytes[start, end)`. */
export function continueHash(hash: number, bytes: Uint8Array, start: number, end: number): number {
  let h = hash;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

/**
 * A set of terms keyed by their UTF-8 bytes, each with a dense id in insertion order.
 * Lookups take a byte range of any buffer, so the hot path allocates no strings.
 */
export class TermTable {
  private arena: Uint8Array;
  private arenaLength = 0;
  private starts: Uint32Array;
  /** Each term's hash, kept only by tables that grow (to rehash without rereading the arena). */
  private hashes: Uint32Array | null;
  /**
   * Open addressing, two words a slot. A growing table keeps id + 1 (0 = empty) and the hash. A
   * frozen one (a loaded model) packs id + 1 in the low 22 bits of the first word and the hash's top
   * 10 bits above, and the term's place in its arena in the second (`placeOf`): a lookup that finds
   * its term reads the slot and the term's bytes, not also where the term starts and ends (`starts`,
   * another cache miss in a vocabulary of MBs).
   */
  private slots: Uint32Array;
  private packed: boolean;
  private mask: number;
  private count = 0;
  /** Lookups a lazy sorted table answers by binary search before building its index; 0 once indexed. */
  private searchesLeft = 0;
  /** A lazy table's terms still front-coded: searched in place until they are needed whole. */
  private frontCoded: FrontCodedTerms | null = null;

  constructor(expectedTerms = 1024, expectedBytes = expectedTerms * 8, growable = true) {
    this.arena = new Uint8Array(Math.max(16, expectedBytes));
    this.starts = new Uint32Array(Math.max(16, expectedTerms) + 1);
    this.hashes = growable ? new Uint32Array(Math.max(16, expectedTerms)) : null;
    const slotCount = 2 ** Math.ceil(Math.log2(Math.max(32, expectedTerms * 2)));
    this.packed = !growable && expectedTerms < PACKED_ID_LIMIT;
    this.slots = new Uint32Array(slotCount * 2);
    this.mask = slotCount - 1;
  }

  /**
   * Builds a table over terms stored back to back in `bytes`, term `i` being `lengths[i]` bytes long,
   * using `bytes` in place. Allocates only the offsets and the slots: fresh memory is what a cold
   * start pays for most. Terms in ascending order take `fromSorted` (and `options`); any others are
   * placed one by one, each checked against the ones placed before it.
   */
  static fromLengths(
    bytes: Uint8Array,
    lengths: ArrayLike<number>,
    options: { index: 'eager' | 'lazy'; lookupsBeforeIndex?: number } = { index: 'eager' },
  ): TermTable {
    const sorted = TermTable.fromSorted(bytes, lengths, options);
    if (sorted) return sorted;
    const count = lengths.length;
    const table = new TermTable(count, 0, false);
    table.arena = bytes;
    table.arenaLength = bytes.length;
    const starts = table.starts;
    let start = 0;
    let probes = 0;
    const budget = MAX_MEAN_PROBES * count + 1024;
    for (let id = 0; id < count; id++) {
      const end = start + lengths[id];
      if (end > bytes.length) throw new RangeError(`term ${id} ends outside its section`);
      starts[id] = start;
      starts[id + 1] = end;
      const probe = table.placeUnique(id, hashBytes(bytes, start, end));
      if (probe < 0) throw new RangeError(`term ${id} is a duplicate`);
      probes += probe;
      const collision = collisionError(id, probe, probes, budget);
      if (collision) throw collision;
      start = end;
    }
    table.count = count;
    return table;
  }

  /**
   * Builds a table over terms in strictly ascending byte order (a vocabulary as scikit-learn numbers
   * it), using `bytes` in place, or `null` when they are not in that order. Sorted terms cannot hold
   * a duplicate, so placing them compares no bytes. With `index: 'lazy'` no hash slots are built at
   * all: lookups are binary searches until `lookupsBeforeIndex` of them have been answered (a
   * one-shot prediction needs a few dozen), and only then is the hash index built. A lazy table whose
   * terms collide keeps answering by binary search, which no choice of terms can slow down; an eager
   * one is refused like `fromLengths` refuses it.
   */
  static fromSorted(
    bytes: Uint8Array,
    lengths: ArrayLike<number>,
    options: { index: 'eager' | 'lazy'; lookupsBeforeIndex?: number } = { index: 'eager' },
  ): TermTable | null {
    const count = lengths.length;
    if (count >= PACKED_ID_LIMIT) return null;
    const starts = new Uint32Array(count + 1);
    let start = 0;
    let previous = 0;
    for (let id = 0; id < count; id++) {
      const end = start + lengths[id];
      if (end > bytes.length) throw new RangeError(`term ${id} ends outside its section`);
      starts[id] = start;
      starts[id + 1] = end;
      if (id > 0 && !ascending(bytes, previous, start, end)) return null;
      previous = start;
      start = end;
    }
    return TermTable.overAscending(bytes, starts, options);
  }

  /**
   * `fromSorted` for terms whose strictly ascending order the caller has established (a model
   * decoder reads it off the front coding while expanding the terms). `starts` holds where each term
   * starts and where the last ends, and becomes the table's own.
   */
  static overAscending(
    bytes: Uint8Array,
    starts: Uint32Array,
    options: { index: 'eager' | 'lazy'; lookupsBeforeIndex?: number },
  ): TermTable {
    const count = starts.length - 1;
    if (starts[count] > bytes.length) throw new RangeError('the terms end outside their section');
    // Too many for packed slots: the general table.
    if (count >= PACKED_ID_LIMIT) return TermTable.fromLengths(bytes, lengthsOf(starts));
    const table = new TermTable(0, 0, false);
    table.arena = bytes;
    table.arenaLength = bytes.length;
    table.starts = starts;
    table.count = count;
    if (options.index === 'lazy') table.deferIndex(options.lookupsBeforeIndex);
    else table.index(true);
    return table;
  }

  /**
   * A lazy table (see `fromSorted`) over front-coded terms in strictly ascending order, which it
   * searches without rebuilding them; they are rebuilt (`expand`) when the index is built or
   * something needs them all.
   */
  static overFrontCoded(terms: FrontCodedTerms, options: { lookupsBeforeIndex?: number } = {}): TermTable {
    const count = terms.count;
    if (count >= PACKED_ID_LIMIT) {
      const { bytes, starts } = terms.expand();
      return TermTable.fromLengths(bytes, lengthsOf(starts));
    }
    const table = new TermTable(0, 0, false);
    table.arena = new Uint8Array(0);
    table.starts = new Uint32Array(1);
    table.count = count;
    table.frontCoded = terms;
    table.deferIndex(options.lookupsBeforeIndex);
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
  lookup(bytes: Uint8Array, start: number, end: number, hash = hashBytes(bytes, start, end)): number {
    if (this.searchesLeft > 0 && (--this.searchesLeft > 0 || !this.index(false)))
      return this.search(bytes, start, end);
    return this.find(bytes, start, end, hash);
  }

  /**
   * Loads the slot where a lookup of a term with `hash` starts, and returns a word of it (use it, so
   * that the load is not optimized away). Looking up many terms, touching each one's slot first
   * lets the processor overlap their cache misses, where lookup after lookup waits for each in turn.
   */
  touch(hash: number): number {
    if (this.searchesLeft > 0) return 0;
    return this.slots[2 * (hash & this.mask)];
  }

  /** Whether lookups go through the hash index yet (a lazy table answers by binary search first). */
  get indexed(): boolean {
    return this.searchesLeft === 0;
  }

  /** The id of the term spelled by `bytes[start, end)`, inserted if new. */
  intern(bytes: Uint8Array, start: number, end: number, hash = hashBytes(bytes, start, end)): number {
    this.expandTerms();
    if (this.hashes === null) {
      // A frozen table that starts growing: recover the hashes and switch to wide slots.
      this.searchesLeft = 0;
      this.hashes = new Uint32Array(Math.max(16, this.starts.length - 1));
      for (let k = 0; k < this.count; k++)
        this.hashes[k] = hashBytes(this.arena, this.starts[k], this.starts[k + 1]);
      this.packed = false;
      this.rehash(2 ** Math.ceil(Math.log2(Math.max(32, this.count * 2))));
    }
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
    if (this.count * 2 > this.mask + 1) this.rehash((this.mask + 1) * 2);
    else this.place(id, hash);
    return id;
  }

  /** The UTF-8 bytes of term `id`: a view (a copy while a lazy table's terms are front-coded). */
  bytesOf(id: number): Uint8Array {
    if (this.frontCoded) return this.frontCoded.termBytes(id);
    return this.arena.subarray(this.starts[id], this.starts[id + 1]);
  }

  /** Term `id` as a string. */
  term(id: number): string {
    return textDecoder.decode(this.bytesOf(id));
  }

  /** Every term, in id order. */
  terms(): string[] {
    this.expandTerms();
    const out = new Array<string>(this.count);
    for (let id = 0; id < this.count; id++) out[id] = this.term(id);
    return out;
  }

  /** The terms' bytes back to back and each one's length: the inverse of `fromLengths`. */
  toConcatenated(): { bytes: Uint8Array; lengths: Uint32Array } {
    this.expandTerms();
    return {
      bytes: this.arena.slice(0, this.arenaLength),
      lengths: lengthsOf(this.starts.subarray(0, this.count + 1)),
    };
  }

  /** Compares terms `a` and `b` by their bytes: UTF-8 byte order is code-point order, as Python sorts. */
  compare(a: number, b: number): number {
    this.expandTerms();
    const { arena, starts } = this;
    return compareBytes(arena, starts[a], starts[a + 1], arena, starts[b], starts[b + 1]);
  }

  /** Binary search over sorted terms: the id of `bytes[start, end)`, or -1. */
  private search(bytes: Uint8Array, start: number, end: number): number {
    if (this.frontCoded) return this.frontCoded.search(bytes, start, end);
    const { arena, starts } = this;
    let low = 0;
    let high = this.count - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      let i = starts[mid];
      const termEnd = starts[mid + 1];
      let j = start;
      while (i < termEnd && j < end && arena[i] === bytes[j]) {
        i++;
        j++;
      }
      const order = i < termEnd ? (j < end ? arena[i] - bytes[j] : 1) : j < end ? -1 : 0;
      if (order === 0) return mid;
      if (order < 0) low = mid + 1;
      else high = mid - 1;
    }
    return EMPTY;
  }

  /**
   * Builds the packed hash index over a sorted table's terms (distinct by their order, so no bytes
   * are compared). Colliding terms throw when `strict`; otherwise the table stays unindexed and keeps
   * answering by binary search. Returns whether the index was built.
   */
  private index(strict: boolean): boolean {
    this.expandTerms();
    const count = this.count;
    const slotCount = 2 ** Math.ceil(Math.log2(Math.max(32, count * 2)));
    const slots = new Uint32Array(slotCount * 2);
    const mask = slotCount - 1;
    const { arena, starts } = this;
    const budget = MAX_MEAN_PROBES * count + 1024;
    let probes = 0;
    for (let id = 0; id < count; id++) {
      const hash = hashBytes(arena, starts[id], starts[id + 1]);
      let slot = hash & mask;
      let probe = 1;
      while (slots[2 * slot] !== 0) {
        slot = (slot + 1) & mask;
        probe++;
      }
      probes += probe;
      const collision = collisionError(id, probe, probes, budget);
      if (collision) {
        if (strict) throw collision;
        this.searchesLeft = Number.POSITIVE_INFINITY;
        return false;
      }
      slots[2 * slot] = (((hash >>> 22) << 22) | (id + 1)) >>> 0;
      slots[2 * slot + 1] = placeOf(starts[id], starts[id + 1]);
    }
    this.slots = slots;
    this.mask = mask;
    this.packed = true;
    return true;
  }

  /** No hash index until `lookups` (by default a quarter of the terms, at least 1,024) are answered. */
  private deferIndex(lookups = Math.max(1024, this.count >>> 2)): void {
    this.searchesLeft = lookups;
    this.slots = new Uint32Array(0);
  }

  /** Rebuilds a lazy table's front-coded terms into its arena. */
  private expandTerms(): void {
    if (!this.frontCoded) return;
    const { bytes, starts } = this.frontCoded.expand();
    this.arena = bytes;
    this.arenaLength = bytes.length;
    this.starts = starts;
    this.frontCoded = null;
  }

  private find(bytes: Uint8Array, start: number, end: number, hash: number): number {
    if (this.packed) return this.findPacked(bytes, start, end, hash);
    const length = end - start;
    const { arena, slots, mask } = this;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[2 * slot];
      if (entry === 0) return EMPTY;
      if (slots[2 * slot + 1] !== hash) continue;
      const id = entry - 1;
      const termStart = this.starts[id];
      if (this.starts[id + 1] - termStart !== length) continue;
      let k = 0;
      while (k < length && arena[termStart + k] === bytes[start + k]) k++;
      if (k === length) return id;
    }
  }

  private place(id: number, hash: number): void {
    const { slots, mask } = this;
    let slot = hash & mask;
    while (slots[2 * slot] !== 0) slot = (slot + 1) & mask;
    slots[2 * slot] = id + 1;
    slots[2 * slot + 1] = hash;
  }

  private findPacked(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const length = end - start;
    const { arena, slots, mask } = this;
    const tag = hash >>> 22;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[2 * slot];
      if (entry === 0) return EMPTY;
      if (entry >>> 22 !== tag) continue;
      const id = (entry & PACKED_ID_LIMIT) - 1;
      const place = slots[2 * slot + 1];
      let termStart: number;
      if (place !== PLACE_IN_STARTS) {
        if ((place & 0xff) !== length) continue;
        termStart = place >>> 8;
      } else {
        termStart = this.starts[id];
        if (this.starts[id + 1] - termStart !== length) continue;
      }
      let k = 0;
      while (k < length && arena[termStart + k] === bytes[start + k]) k++;
      if (k === length) return id;
    }
  }

  /**
   * Places term `id` (already in the arena) unless an equal term is there: the slots it probed, or -1
   * for a duplicate.
   */
  private placeUnique(id: number, hash: number): number {
    if (!this.packed) {
      if (this.find(this.arena, this.starts[id], this.starts[id + 1], hash) !== EMPTY) return -1;
      let probe = 1;
      for (let slot = hash & this.mask; this.slots[2 * slot] !== 0; slot = (slot + 1) & this.mask)
        if (++probe > MAX_PROBE) return probe;
      this.place(id, hash);
      return probe;
    }
    const { arena, slots, mask } = this;
    const start = this.starts[id];
    const length = this.starts[id + 1] - start;
    const tag = hash >>> 22;
    let slot = hash & mask;
    let probe = 1;
    for (; slots[2 * slot] !== 0; slot = (slot + 1) & mask, probe++) {
      if (probe > MAX_PROBE) return probe;
      const entry = slots[2 * slot];
      if (entry >>> 22 !== tag) continue;
      const other = (entry & PACKED_ID_LIMIT) - 1;
      const otherStart = this.starts[other];
      if (this.starts[other + 1] - otherStart !== length) continue;
      let k = 0;
      while (k < length && arena[otherStart + k] === arena[start + k]) k++;
      if (k === length) return -1;
    }
    slots[2 * slot] = ((tag << 22) | (id + 1)) >>> 0;
    slots[2 * slot + 1] = placeOf(start, start + length);
    return probe;
  }

  private rehash(slotCount: number): void {
    this.slots = new Uint32Array(slotCount * 2);
    this.mask = slotCount - 1;
    const hashes = this.hashes!;
    for (let id = 0; id < this.count; id++) this.place(id, hashes[id]);
  }
}

/**
 * Whether the term at `[start, end)` sorts strictly after the one starting at `previous` (which ends
 * at `start`): UTF-8 byte order, a prefix before the longer term.
 */
function ascending(bytes: Uint8Array, previous: number, start: number, end: number): boolean {
  let i = previous;
  let j = start;
  while (i < start && j < end) {
    const d = bytes[j++] - bytes[i++];
    if (d !== 0) return d > 0;
  }
  return i === start && j < end;
}

/**
 * A packed slot's second word for a term at `[start, end)` of its arena: the start above 8 bits, the
 * length in them; `PLACE_IN_STARTS` for a term that starts 16 MB or more in, or is 255 bytes or
 * longer (its lookups read `starts` instead).
 */
function placeOf(start: number, end: number): number {
  const length = end - start;
  if (start >= 1 << 24 || length >= 0xff) return PLACE_IN_STARTS;
  return ((start << 8) | length) >>> 0;
}

/** Why placing term `id` after `probes` slots in all (`probe` for this one) shows the terms collide, or null. */
function collisionError(id: number, probe: number, probes: number, budget: number): RangeError | null {
  if (probe > MAX_PROBE)
    return new RangeError(
      `term ${id} needs a probe of ${probe} slots (at most ${MAX_PROBE}): the terms collide`,
    );
  if (probes > budget)
    return new RangeError(
      `the terms collide: ${probes} slots probed for ${id + 1} terms (at most ${MAX_MEAN_PROBES} each)`,
    );
  return null;
}

/** Each term's length from where the terms start (`starts` has one entry more than there are terms). */
export function lengthsOf(starts: Uint32Array): Uint32Array {
  const lengths = new Uint32Array(starts.length - 1);
  for (let i = 0; i < lengths.length; i++) lengths[i] = starts[i + 1] - starts[i];
  return lengths;
}
