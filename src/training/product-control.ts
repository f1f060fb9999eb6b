import type { RowEntries } from '../model/column-copy.js';
import { MULTIPLY_BLOCKS } from '../model/sparse.js';

/** The words of the control array the solver's product threads share with the fitting thread. */
export const CONTROL = {
  /** Bumped for every command; a thread waits for it to move. */
  generation: 0,
  /** The command: one of COMMAND. */
  command: 1,
  /** Threads yet to finish the current command. */
  pending: 2,
  /** Threads started. */
  ready: 3,
  /** Set when a thread failed a command. */
  failed: 4,
  size: 5,
} as const;

export const COMMAND = {
  multiply: 1,
  transposeMultiply: 2,
  transposeMultiplyWithSquared: 3,
  stop: 4,
  /** The column copy, made together: count the block's entries per column, ... */
  countColumns: 5,
  /** ... place the block's rows in buckets, ... */
  placeRows: 6,
  /** ... sort the thread's range of buckets. */
  sortBuckets: 7,
} as const;

/** The blocks of columns of X v (`CscMatrix.multiplyBlocks`) thread `thread` of `threads` sums: whole blocks, in order. */
export function multiplyShare(thread: number, threads: number): [first: number, end: number] {
  return [
    Math.floor((thread * MULTIPLY_BLOCKS) / threads),
    Math.floor(((thread + 1) * MULTIPLY_BLOCKS) / threads),
  ];
}

/** Words of `plan` per thread: its columns of Xᵀ u and its buckets to sort. */
export const PLAN = { firstColumn: 0, endColumn: 1, firstBucket: 2, endBucket: 3, size: 4 } as const;

/** What the threads need to make the column copy together (see `column-copy.ts`). */
export interface CopyThreadData {
  source: RowEntries;
  local: Uint16Array;
  shift: number;
  buckets: number;
  /** Each block's entries per column: `cols` words a block. */
  counts: Uint32Array;
  /** Each block's next place in every bucket: `buckets` words a block. */
  next: Uint32Array;
}

/** What a product thread is given: the shared matrix and vectors, and its block. */
export interface ProductThreadData {
  control: Int32Array;
  rows: number;
  cols: number;
  /** The column copy: made before the threads start, or by them with `copy`. */
  colptr: Uint32Array;
  rowIndices: Uint32Array;
  data: Float64Array;
  copy: CopyThreadData | null;
  /** `PLAN.size` words per thread, set by the fitting thread once the columns are counted. */
  plan: Uint32Array;
  input: Float64Array;
  output: Float64Array;
  /** Each block's share of X v: `rows` doubles a block. */
  shares: Float64Array;
  /** The second vector and result of `transposeMultiplyWithSquared`. */
  secondInput: Float64Array;
  secondOutput: Float64Array;
  /** Which thread it is (0 is the fitting thread), of how many: its blocks of X v. */
  block: number;
  threads: number;
  /** Its block of rows (the copy). */
  firstRow: number;
  endRow: number;
}
