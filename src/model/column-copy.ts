/**
 * The column-major copy of a row-major matrix (`CsrMatrix.toColumns`), in steps that threads can
 * share: count each column's entries over a block of rows, place a block of rows in buckets, sort a
 * range of buckets. Writing each entry straight to its column's place would miss the cache on nearly
 * every write (the places are spread over the whole copy), so entries go first to their bucket of
 * 2^shift columns (a few hundred buckets: few enough write streams to stay in cache), in row order,
 * then each bucket, small enough to stay in cache, is put in column order by a stable counting sort.
 * Blocks of rows fill a bucket one after another in row order, so the copy is the same, bit for bit,
 * however the work is cut.
 */

import { allocate } from './memory.js';

/** About how many entries a bucket holds: 16,384 × 14 bytes stay in cache. */
const BUCKET_ENTRIES = 16_384;

/** The rows the copy reads: X, or X diag(scale) with a scale. */
export interface RowEntries {
  readonly indptr: Uint32Array;
  readonly indices: Uint32Array;
  readonly data: Float64Array;
  readonly scale?: Float64Array;
}

/** A column-major copy being made. */
export interface ColumnCopy {
  readonly rows: number;
  readonly cols: number;
  /** Column j's entries are `colptr[j]` up to `colptr[j + 1]`, once counted. */
  readonly colptr: Uint32Array;
  readonly rowIndices: Uint32Array;
  readonly values: Float64Array;
  /** Each entry's column within its bucket, from placing to sorting. */
  readonly local: Uint16Array;
  /** A bucket holds 2^shift columns. */
  readonly shift: number;
  readonly buckets: number;
}

/** The arrays of a copy of `nnz` entries, in SharedArrayBuffers when `shared`. */
export function allocateColumnCopy(rows: number, cols: number, nnz: number, shared: boolean): ColumnCopy {
  const shift = Math.min(16, Math.max(0, Math.ceil(Math.log2((BUCKET_ENTRIES * cols) / Math.max(1, nnz)))));
  return {
    rows,
    cols,
    colptr: allocate(Uint32Array, cols + 1, shared),
    rowIndices: allocate(Uint32Array, nnz, shared),
    values: allocate(Float64Array, nnz, shared),
    local: allocate(Uint16Array, nnz, shared),
    shift,
    buckets: Math.ceil(cols / 2 ** shift),
  };
}

/** Adds each column's entries in rows `firstRow` up to `endRow` to `counts[column]`. */
export function countColumns(
  source: RowEntries,
  firstRow: number,
  endRow: number,
  counts: Uint32Array,
): void {
  const { indptr, indices } = source;
  for (let k = indptr[firstRow]; k < indptr[endRow]; k++) counts[indices[k]]++;
}

/** Where each bucket starts: `colptr` at its first column (the copy's columns counted). */
export function bucketStarts(copy: ColumnCopy): Uint32Array {
  const starts = new Uint32Array(copy.buckets);
  for (let b = 0; b < copy.buckets; b++) starts[b] = copy.colptr[b << copy.shift];
  return starts;
}

/**
 * Places the entries of rows `firstRow` up to `endRow` in their buckets, in row order, bucket `b`'s
 * from `next[b]` on (advanced as they are placed).
 */
export function placeRows(
  source: RowEntries,
  copy: ColumnCopy,
  firstRow: number,
  endRow: number,
  next: Uint32Array,
): void {
  const { indptr, indices, data, scale } = source;
  const { rowIndices, values, local, shift } = copy;
  const within = (1 << shift) - 1;
  for (let i = firstRow; i < endRow; i++) {
    for (let k = indptr[i]; k < indptr[i + 1]; k++) {
      const j = indices[k];
      const at = next[j >>> shift]++;
      rowIndices[at] = i;
      values[at] = scale === undefined ? data[k] : data[k] * scale[j];
      local[at] = j & within;
    }
  }
}

/** Puts buckets `first` up to `end`, their entries placed, in column order (stable: by row within a column). */
export function sortBuckets(copy: ColumnCopy, first: number, end: number): void {
  const { cols, colptr, rowIndices, values, local, shift } = copy;
  const width = 1 << shift;
  const range = (b: number) => [colptr[b * width], colptr[Math.min(cols, (b + 1) * width)]];
  let largest = 0;
  for (let b = first; b < end; b++) {
    const [start, stop] = range(b);
    largest = Math.max(largest, stop - start);
  }
  const rowScratch = new Uint32Array(largest);
  const valueScratch = new Float64Array(largest);
  const columnNext = new Uint32Array(width);
  for (let b = first; b < end; b++) {
    const firstColumn = b * width;
    const [start, stop] = range(b);
    const count = stop - start;
    rowScratch.set(rowIndices.subarray(start, stop));
    valueScratch.set(values.subarray(start, stop));
    for (let c = 0; c < width && firstColumn + c < cols; c++) columnNext[c] = colptr[firstColumn + c];
    for (let t = 0; t < count; t++) {
      const at = columnNext[local[start + t]]++;
      rowIndices[at] = rowScratch[t];
      values[at] = valueScratch[t];
    }
  }
}
