import { grow } from '../model/memory.js';
import type { TokenStream } from './analyzer.js';

/** For `k` bytes of a little-endian word (0 to 4), the mask that keeps them. */
const KEEP = Int32Array.of(0, 0xff, 0xffff, 0xffffff, -1);
/** Words a slot: id + 1 (0: empty), the token's length, its first 4 bytes and its next 4. */
const SLOT = 4;

/**
 * The distinct tokens of a count, each with a dense id in order of first appearance: what
 * `TermTable.intern` does for the tokens of a stream, made for them. Most tokens are 8 bytes or
 * fewer, and a slot holds a token's length and first 8 bytes (zero past its end), so such a token is
 * found by comparing three words in the slot: no read of the term's bytes elsewhere and no
 * byte-by-byte loop, which cost more than the table's cache misses. Longer tokens compare the rest of
 * their bytes with the copy kept here.
 */
export class TokenTable {
  private slots: Int32Array;
  private mask: number;
  private arena = new Uint8Array(1 << 16);
  private arenaLength = 0;
  /** Where each token's bytes start in `arena` (and where the last ends). */
  private starts: Uint32Array<ArrayBuffer> = new Uint32Array(1 << 12);
  /** Each token's hash (the stream's), to place it again when the table grows. */
  private hashes: Uint32Array<ArrayBuffer> = new Uint32Array(1 << 12);
  private count = 0;

  constructor(expectedTokens = 1 << 12) {
    const slotCount = 2 ** Math.ceil(Math.log2(Math.max(32, expectedTokens * 2)));
    this.slots = new Int32Array(slotCount * SLOT);
    this.mask = slotCount - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The id of the stream's token `i`, inserted if new. */
  intern(stream: TokenStream, i: number): number {
    const { bytes, view } = stream;
    const start = stream.starts[i];
    const length = stream.ends[i] - start;
    let first: number;
    let second: number;
    if (start + 8 <= view.byteLength) {
      first = view.getInt32(start, true);
      second = view.getInt32(start + 4, true);
    } else {
      first = wordAt(bytes, start, start + length);
      second = wordAt(bytes, start + 4, start + length);
    }
    first &= KEEP[Math.min(length, 4)];
    second &= KEEP[Math.min(Math.max(length - 4, 0), 4)];
    const hash = stream.hashes[i];
    const { slots, mask } = this;
    let slot = hash & mask;
    for (; ; slot = (slot + 1) & mask) {
      const at = slot * SLOT;
      const entry = slots[at];
      if (entry === 0) break;
      if (slots[at + 1] !== length || slots[at + 2] !== first || slots[at + 3] !== second) continue;
      if (length <= 8 || this.restEquals(entry - 1, bytes, start, length)) return entry - 1;
    }
    return this.insert(slot, bytes, start, length, first, second, hash);
  }

  /** Whether token `id`'s bytes past its eighth equal `bytes[start + 8, start + length)`. */
  private restEquals(id: number, bytes: Uint8Array, start: number, length: number): boolean {
    const { arena } = this;
    const at = this.starts[id];
    for (let k = 8; k < length; k++) if (arena[at + k] !== bytes[start + k]) return false;
    return true;
  }

  private insert(
    slot: number,
    bytes: Uint8Array,
    start: number,
    length: number,
    first: number,
    second: number,
    hash: number,
  ): number {
    const id = this.count++;
    if (this.arenaLength + length > this.arena.length)
      this.arena = grow(this.arena, this.arenaLength + length);
    if (id + 1 >= this.starts.length) {
      this.starts = grow(this.starts, id + 2);
      this.hashes = grow(this.hashes, id + 2);
    }
    const { arena } = this;
    for (let k = 0; k < length; k++) arena[this.arenaLength + k] = bytes[start + k];
    this.starts[id] = this.arenaLength;
    this.arenaLength += length;
    this.starts[id + 1] = this.arenaLength;
    this.hashes[id] = hash;
    this.fill(slot * SLOT, id, length, first, second);
    // At most half full: twice the slots, every token placed again.
    if (this.count * 2 > this.mask + 1) this.grow();
    return id;
  }

  private fill(at: number, id: number, length: number, first: number, second: number): void {
    const { slots } = this;
    slots[at] = id + 1;
    slots[at + 1] = length;
    slots[at + 2] = first;
    slots[at + 3] = second;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = this.mask * 2 + 1;
    for (let at = 0; at < old.length; at += SLOT) {
      const entry = old[at];
      if (entry === 0) continue;
      let slot = this.hashes[entry - 1] & this.mask;
      while (this.slots[slot * SLOT] !== 0) slot = (slot + 1) & this.mask;
      this.fill(slot * SLOT, entry - 1, old[at + 1], old[at + 2], old[at + 3]);
    }
  }
}

/** The little-endian word of `bytes` at `at`, bytes at or past `end` read as zero. */
function wordAt(bytes: Uint8Array, at: number, end: number): number {
  let word = 0;
  for (let k = 3; k >= 0; k--) word = (word << 8) | (at + k < end ? bytes[at + k] : 0);
  return word;
}
