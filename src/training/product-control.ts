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
} as const;

/** What a product thread is given: the shared matrix and vectors, and its block. */
export interface ProductThreadData {
  control: Int32Array;
  rows: number;
  cols: number;
  colptr: Uint32Array;
  rowIndices: Uint32Array;
  data: Float64Array;
  rowSplits: Uint32Array[];
  input: Float64Array;
  output: Float64Array;
  /** The second vector and result of `transposeMultiplyWithSquared`. */
  secondInput: Float64Array;
  secondOutput: Float64Array;
  /** Its block of rows (X v) ... */
  block: number;
  firstRow: number;
  endRow: number;
  /** ... and of columns (Xᵀ u). */
  firstColumn: number;
  endColumn: number;
}
