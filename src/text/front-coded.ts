import { compareBytes } from './term-table.js';

/**
 * A vocabulary stored front-coded: term i is the first `prefixes[i]` bytes of term i − 1, then
 * `suffixLengths[i]` bytes of `suffixes` (the model file's terms section, read in place).
 */
export interface FrontCoding {
  prefixes: Uint8Array;
  suffixLengths: Uint8Array | Uint16Array | Uint32Array;
  suffixes: Uint8Array;
}

/** Terms between two samples: a lookup decodes at most this many after a binary search over samples. */
const SAMPLE_EVERY = 16;

/**
 * A front-coded vocabulary in strictly ascending byte order, searchable without rebuilding every
 * term: one pass checks it and keeps every 16th term whole (the samples); a lookup binary-searches
 * the samples, then decodes forward from one. Rebuilding all the terms (`expand`) writes three times
 * the bytes the front coding holds, which a one-shot prediction or a Lambda's first requests need not
 * pay for.
 */
export class FrontCodedTerms {
  private constructor(
    private readonly coding: FrontCoding,
    readonly count: number,
    /** Sample s (term s × SAMPLE_EVERY) is `sampleBytes[sampleStarts[s], sampleStarts[s + 1])`. */
    private readonly sampleStarts: Uint32Array,
    private readonly sampleBytes: Uint8Array,
    /** Where the suffix of each sample's term starts in `suffixes`. */
    private readonly sampleSuffixes: Uint32Array,
    /** Longest term: the size of the decoding buffer. */
    longest: number,
  ) {
    this.term = new Uint8Array(longest);
  }

  /** Where lookups rebuild terms: one buffer, not one per lookup. */
  private readonly term: Uint8Array;

  /**
   * Checks `coding` (what `expandFrontCoded` checks) and keeps its samples; null when the terms are
   * not known to be strictly ascending (the caller then rebuilds them and checks them one by one).
   */
  static read(coding: FrontCoding): FrontCodedTerms | null {
    const { prefixes, suffixLengths, suffixes } = coding;
    const count = termCount(coding);
    const samples = Math.ceil(count / SAMPLE_EVERY);
    const sampleStarts = new Uint32Array(samples + 1);
    const sampleSuffixes = new Uint32Array(samples);
    let sampleBytes = new Uint8Array(Math.max(64, samples * 16));
    let sampled = 0;
    let term = new Uint8Array(256);
    let length = 0;
    let longest = 0;
    let from = 0;
    for (let i = 0; i < count; i++) {
      const prefix = prefixes[i];
      const added = suffixLengths[i];
      if (prefix > length)
        throw new RangeError(`term ${i} shares ${prefix} bytes with a ${length}-byte term before it`);
      // After the one before: bytes added past a shared prefix that is the whole term before, or
      // a higher first byte where they part. An equal byte there (a prefix longer than 255 bytes,
      // cut) leaves the order unknown.
      if (i > 0 && !(added > 0 && (prefix === length || suffixes[from] > term[prefix]))) return null;
      // A rest past the section: refused before a buffer is sized by it.
      if (from + added > suffixes.length) checkSuffixTotal(sum(suffixLengths), suffixes);
      length = prefix + added;
      if (length > term.length) {
        const grown = new Uint8Array(2 * length);
        grown.set(term);
        term = grown;
      }
      for (let k = 0; k < added; k++) term[prefix + k] = suffixes[from + k];
      if (i % SAMPLE_EVERY === 0) {
        const s = i / SAMPLE_EVERY;
        if (sampled + length > sampleBytes.length) {
          const grown = new Uint8Array(2 * (sampled + length));
          grown.set(sampleBytes);
          sampleBytes = grown;
        }
        for (let k = 0; k < length; k++) sampleBytes[sampled + k] = term[k];
        sampleStarts[s] = sampled;
        sampled += length;
        sampleStarts[s + 1] = sampled;
        sampleSuffixes[s] = from;
      }
      longest = Math.max(longest, length);
      from += added;
    }
    checkSuffixTotal(from, suffixes);
    return new FrontCodedTerms(coding, count, sampleStarts, sampleBytes, sampleSuffixes, longest);
  }

  /** The id of the term spelled by `bytes[start, end)`, or -1. */
  search(bytes: Uint8Array, start: number, end: number): number {
    const { sampleStarts, sampleBytes } = this;
    // The last sample at or before the probe.
    let low = 0;
    let high = sampleStarts.length - 2;
    let at = -1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const order = compareBytes(sampleBytes, sampleStarts[mid], sampleStarts[mid + 1], bytes, start, end);
      if (order === 0) return mid * SAMPLE_EVERY;
      if (order < 0) {
        at = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    if (at < 0) return -1;
    let length = this.loadSample(at);
    let from = this.sampleSuffixes[at] + this.coding.suffixLengths[at * SAMPLE_EVERY];
    const last = Math.min(this.count, (at + 1) * SAMPLE_EVERY);
    for (let id = at * SAMPLE_EVERY + 1; id < last; id++) {
      length = this.applyTerm(id, from);
      from += this.coding.suffixLengths[id];
      const order = compareBytes(this.term, 0, length, bytes, start, end);
      if (order === 0) return id;
      if (order > 0) return -1;
    }
    return -1;
  }

  /** Term `id`'s bytes (a copy). */
  termBytes(id: number): Uint8Array {
    const s = Math.floor(id / SAMPLE_EVERY);
    let length = this.loadSample(s);
    let from = this.sampleSuffixes[s] + this.coding.suffixLengths[s * SAMPLE_EVERY];
    for (let k = s * SAMPLE_EVERY + 1; k <= id; k++) {
      length = this.applyTerm(k, from);
      from += this.coding.suffixLengths[k];
    }
    return this.term.slice(0, length);
  }

  /** Sample `s`'s term into the decoding buffer: its length. */
  private loadSample(s: number): number {
    const { sampleStarts, sampleBytes } = this;
    this.term.set(sampleBytes.subarray(sampleStarts[s], sampleStarts[s + 1]));
    return sampleStarts[s + 1] - sampleStarts[s];
  }

  /** Term `id` over the one before it in the decoding buffer (its suffix starts at `from`): its length. */
  private applyTerm(id: number, from: number): number {
    const { prefixes, suffixLengths, suffixes } = this.coding;
    const prefix = prefixes[id];
    const added = suffixLengths[id];
    for (let k = 0; k < added; k++) this.term[prefix + k] = suffixes[from + k];
    return prefix + added;
  }

  /** Every term rebuilt, back to back, with where each starts. */
  expand(): { bytes: Uint8Array; starts: Uint32Array } {
    const { bytes, starts } = expandFrontCoded(this.coding);
    return { bytes, starts };
  }
}

/**
 * The whole terms of a front-coded vocabulary, back to back, with where each starts (`starts[i]` to
 * `starts[i + 1]`). `ascending` says whether every term sorts strictly after the one before (UTF-8
 * byte order), read off the front coding with one comparison per term: a term that adds no bytes to
 * the prefix it shares is not after the one before; one that adds bytes is after it when the
 * previous term ends where the shared prefix does, or has a lower byte there. An equal byte (a shared
 * prefix not stored in full) answers "not known": the caller checks term by term.
 */
export function expandFrontCoded(coding: FrontCoding): {
  bytes: Uint8Array;
  starts: Uint32Array;
  ascending: boolean;
} {
  const { prefixes, suffixLengths, suffixes } = coding;
  const count = termCount(coding);
  const starts = new Uint32Array(count + 1);
  let total = 0;
  let suffixTotal = 0;
  let previous = 0;
  for (let i = 0; i < count; i++) {
    if (prefixes[i] > previous)
      throw new RangeError(`term ${i} shares ${prefixes[i]} bytes with a ${previous}-byte term before it`);
    previous = prefixes[i] + suffixLengths[i];
    total += previous;
    suffixTotal += suffixLengths[i];
    starts[i + 1] = total;
  }
  checkSuffixTotal(suffixTotal, suffixes);
  const bytes = new Uint8Array(total);
  let from = 0;
  let previousStart = 0;
  let ascending = true;
  // Byte loops, not copyWithin/subarray: terms are a few bytes, and a call or a view per term costs
  // more than copying them.
  for (let i = 0; i < count; i++) {
    const at = starts[i];
    const prefix = prefixes[i];
    const end = from + suffixLengths[i];
    if (ascending && i > 0)
      ascending =
        end > from && (prefix === at - previousStart || suffixes[from] > bytes[previousStart + prefix]);
    for (let k = 0; k < prefix; k++) bytes[at + k] = bytes[previousStart + k];
    let to = at + prefix;
    for (let k = from; k < end; k++) bytes[to++] = suffixes[k];
    from = end;
    previousStart = at;
  }
  return { bytes, starts, ascending };
}

/** The number of terms, once the prefix and suffix-length sections agree on it. */
function termCount({ prefixes, suffixLengths }: FrontCoding): number {
  const count = suffixLengths.length;
  if (prefixes.length !== count) throw new RangeError(`${prefixes.length} prefix lengths for ${count} terms`);
  return count;
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

/** The suffix lengths must add up to the suffix section. */
function checkSuffixTotal(total: number, suffixes: Uint8Array): void {
  if (total !== suffixes.length)
    throw new RangeError(`the terms' rests add up to ${total} bytes, the section holds ${suffixes.length}`);
}
