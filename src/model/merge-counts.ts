import { TermTable } from '../text/term-table.js';
import { CsrMatrix, stackRows } from './sparse.js';
import type { TermCounts } from './vectorizer.js';

/** The counts of one shard of documents, as a thread sends them: its terms' bytes and its rows. */
export interface ShardCounts {
  /** The shard's distinct terms back to back, in its id order; term `i` is `lengths[i]` bytes. */
  bytes: Uint8Array;
  lengths: Uint32Array;
  /** The shard's rows, columns numbered by the shard's own term ids. */
  raw: CsrMatrix;
}

/** A shard's counts in sendable form (`TermTable.toConcatenated` copies the terms once). */
export function toShardCounts(counts: TermCounts): ShardCounts {
  return { ...counts.terms.toConcatenated(), raw: counts.raw };
}

/**
 * Joins (and consumes) the counts of consecutive shards of documents into the counts of all of them: one table of
 * every term (the first shard's ids kept, each later shard's new terms appended) and their rows
 * stacked in shard order with columns renumbered. Entries keep their order within a row, so the
 * vocabulary and matrix `TfidfVectorizer.fromCounts` makes are the ones counting in one pass makes.
 */
export function mergeTermCounts(shards: readonly ShardCounts[]): TermCounts {
  if (shards.length === 0) throw new RangeError('nothing to merge');
  let termBound = 0;
  let byteBound = 0;
  for (const shard of shards) {
    termBound += shard.lengths.length;
    byteBound += shard.bytes.length;
  }
  // The first shard's terms are distinct and keep their ids: loaded without lookups.
  const terms = TermTable.growableFrom(shards[0].bytes, shards[0].lengths, termBound, byteBound);
  for (const { bytes, lengths, raw } of shards.slice(1)) {
    const column = new Uint32Array(lengths.length);
    let start = 0;
    for (let id = 0; id < lengths.length; id++) {
      const end = start + lengths[id];
      column[id] = terms.intern(bytes, start, end);
      start = end;
    }
    // Renumbered in place: the shard's rows are consumed by the merge.
    const { indices, nnz } = raw;
    for (let k = 0; k < nnz; k++) indices[k] = column[indices[k]];
  }
  const rows = shards.map(
    ({ raw }) => new CsrMatrix(raw.rows, terms.size, raw.indptr, raw.indices, raw.data),
  );
  return { terms, raw: stackRows(rows) };
}
