import { TermList } from '../text/term-list.js';
import { TermTable } from '../text/term-table.js';
import { PairTable } from './pair-table.js';
import { appendRows, CsrMatrix } from './sparse.js';
import type { TermCounts } from './vectorizer.js';

/** A token's prefix: it has none. */
export const NO_PREFIX = 0xffffffff;
/** Terms whose pairs the merge looks up together. */
const CHUNK = 256;
/** No home taken ahead. */
const NO_HOME = 0xffffffff;

/** The counts of one shard of documents (`countShard`), as a thread sends them. */
export interface ShardCounts {
  /** The shard's distinct n-grams back to back, in its id order: term `i` is `bytes[starts[i], starts[i + 1])`. */
  bytes: Uint8Array;
  starts: Uint32Array;
  /** Term `i` is term `prefixes[i]` followed by token `lasts[i]` (both ids below `i`), or a token (`NO_PREFIX`). */
  prefixes: Uint32Array;
  lasts: Uint32Array;
  /** The words of the shard's `PairTable`: (prefix, last) → term id, for every term that is not a token. */
  pairs: Uint32Array;
  pairCount: number;
  /** The shard's rows, columns numbered by the shard's own term ids. */
  raw: CsrMatrix;
}

/**
 * Joins (and consumes) the counts of consecutive shards of documents into the counts of all of them:
 * every n-gram (the first shard's ids kept, each later shard's new ones appended in its id order) and
 * their rows stacked in shard order with columns renumbered. Entries keep their order within a row,
 * so the vocabulary and matrix `TfidfVectorizer.fromCounts` makes are the ones counting in one pass
 * makes. A later shard's tokens are found by their bytes among the first's; its longer n-grams by
 * their (prefix, last token) in the first shard's pair table, renumbered as the merge goes.
 */
export function mergeTermCounts(shards: readonly ShardCounts[]): TermCounts {
  if (shards.length === 0) throw new RangeError('nothing to merge');
  const [first, ...rest] = shards;
  if (rest.length === 0) return { terms: new TermList(first.bytes, first.starts), raw: first.raw };
  let termBound = 0;
  let byteBound = 0;
  for (const shard of shards) {
    termBound += shard.prefixes.length;
    byteBound += shard.bytes.length;
  }
  let count = first.prefixes.length;
  const bytes = new Uint8Array(byteBound);
  bytes.set(first.bytes);
  const starts = new Uint32Array(termBound + 1);
  starts.set(first.starts);
  const tokens = new TermTable(1 << 16, 1 << 19);
  const tokenTerms: number[] = [];
  for (let id = 0; id < count; id++) {
    if (first.prefixes[id] === NO_PREFIX) tokenTerms[tokens.intern(bytes, starts[id], starts[id + 1])] = id;
  }
  const pairs = PairTable.over(first.pairs, first.pairCount);
  const append = (from: Uint8Array, start: number, end: number): number => {
    let at = starts[count];
    for (let k = start; k < end; k++) bytes[at++] = from[k];
    starts[count + 1] = at;
    return count++;
  };
  const homes = new Uint32Array(CHUNK);
  // A word of each home loaded, stored so that the loads are not optimized away.
  const loaded = new Uint32Array(CHUNK);
  for (const shard of rest) {
    const terms = shard.prefixes.length;
    const column = new Uint32Array(terms);
    for (let from = 0; from < terms; from += CHUNK) {
      const to = Math.min(terms, from + CHUNK);
      // The pairs' homes first, each loaded (see `PairTable.home`): those of the chunk's n-grams
      // whose prefix and last token are renumbered already, which are most.
      pairs.reserve(to - from);
      for (let id = from; id < to; id++) {
        const prefix = shard.prefixes[id];
        const last = shard.lasts[id];
        const known = prefix !== NO_PREFIX && prefix < from && last < from;
        homes[id - from] = known ? pairs.home(column[prefix], column[last]) : NO_HOME;
        if (known) loaded[id - from] = pairs.touch(homes[id - from]);
      }
      for (let id = from; id < to; id++) {
        const start = shard.starts[id];
        const end = shard.starts[id + 1];
        if (shard.prefixes[id] === NO_PREFIX) {
          const before = tokens.size;
          const token = tokens.intern(shard.bytes, start, end);
          if (token === before) tokenTerms[token] = append(shard.bytes, start, end);
          column[id] = tokenTerms[token];
          continue;
        }
        const prefix = column[shard.prefixes[id]];
        const last = column[shard.lasts[id]];
        const home = homes[id - from];
        const slot = home === NO_HOME ? pairs.find(prefix, last) : pairs.findFrom(home, prefix, last);
        let merged = pairs.valueAt(slot);
        if (merged < 0) {
          merged = append(shard.bytes, start, end);
          pairs.insert(slot, prefix, last, merged);
        }
        column[id] = merged;
      }
    }
    // Renumbered in place: the shard's rows are consumed by the merge.
    const { indices, nnz } = shard.raw;
    for (let k = 0; k < nnz; k++) indices[k] = column[indices[k]];
  }
  const rows = shards.map(({ raw }) => new CsrMatrix(raw.rows, count, raw.indptr, raw.indices, raw.data));
  return {
    terms: new TermList(bytes.subarray(0, starts[count]), starts.subarray(0, count + 1)),
    raw: appendRows(rows),
  };
}
