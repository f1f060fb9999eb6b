import type { Worker } from 'node:worker_threads';
import {
  type ColumnProducts,
  type ColumnProductsFactory,
  serialColumnProducts,
} from '../model/logistic-regression.js';
import { blockStarts, type ColumnSource, type CscMatrix } from '../model/sparse.js';
import { startWorker } from '../worker-threads.js';
import { COMMAND, CONTROL, type ProductThreadData } from './product-control.js';

/** Below this many entries in X, threads cost more to start than they save. */
export const MIN_ENTRIES_FOR_THREADS = 1_000_000;
/** How long a thread may take to start (tsx compiles it from source in tests) or a product to finish. */
const PATIENCE_MS = 60_000;

/**
 * The solver's products on `threads` threads (this one and `threads - 1` workers), when X has at least
 * `minEntries` entries; else on this thread. The answers are the same bits either way: X v is cut into
 * blocks of rows, each row summing its terms in column order as on one thread, and Xᵀ u into blocks of
 * columns, each entry one sum.
 */
export function threadedColumnProducts(
  threads: number,
  minEntries = MIN_ENTRIES_FOR_THREADS,
): ColumnProductsFactory {
  return (X) =>
    threads > 1 && X.nnz >= minEntries ? new ThreadedProducts(X, threads) : serialColumnProducts(X);
}

class ThreadedProducts implements ColumnProducts {
  readonly columns: CscMatrix;
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * CONTROL.size));
  private readonly input: Float64Array;
  private readonly output: Float64Array;
  private readonly secondInput: Float64Array;
  private readonly secondOutput: Float64Array;
  private readonly workers: Worker[];
  /** Block 0's rows and columns, computed on this thread. */
  private readonly endRow: number;
  private readonly endColumn: number;

  constructor(X: ColumnSource, threads: number) {
    const rowStarts = blockStarts(X.indptr, threads);
    this.columns = X.toColumns({ shared: true, rowBlocks: rowStarts });
    const { rows, cols, colptr, rowIndices, data, rowSplits } = this.columns;
    const columnStarts = blockStarts(colptr, threads);
    const shared = (length: number) => new Float64Array(new SharedArrayBuffer(8 * length));
    this.input = shared(Math.max(rows, cols));
    this.output = shared(Math.max(rows, cols));
    this.secondInput = shared(rows);
    this.secondOutput = shared(cols);
    const rowBounds = [0, ...rowStarts, rows];
    const columnBounds = [0, ...columnStarts, cols];
    this.endRow = rowBounds[1];
    this.endColumn = columnBounds[1];
    this.workers = [];
    for (let block = 1; block < threads; block++) {
      const workerData: ProductThreadData = {
        control: this.control,
        rows,
        cols,
        colptr,
        rowIndices,
        data,
        rowSplits: [...rowSplits],
        input: this.input,
        output: this.output,
        secondInput: this.secondInput,
        secondOutput: this.secondOutput,
        block,
        firstRow: rowBounds[block],
        endRow: rowBounds[block + 1],
        firstColumn: columnBounds[block],
        endColumn: columnBounds[block + 1],
      };
      const worker = startWorker(import.meta.url, 'product-worker', { workerData });
      worker.unref();
      this.workers.push(worker);
    }
    // This thread blocks while the products run; wait here until every thread is listening.
    const deadline = Date.now() + PATIENCE_MS;
    for (;;) {
      const ready = Atomics.load(this.control, CONTROL.ready);
      if (ready === this.workers.length) break;
      const left = deadline - Date.now();
      if (left <= 0) {
        this.close();
        throw new Error(
          `${this.workers.length - ready} solver threads did not start in ${PATIENCE_MS / 1000} s`,
        );
      }
      Atomics.wait(this.control, CONTROL.ready, ready, left);
    }
  }

  multiply(v: Float64Array, out: Float64Array): void {
    this.product(COMMAND.multiply, v, out, () =>
      this.columns.multiplyRowBlock(this.input, this.output, 0, 0, this.endRow),
    );
  }

  transposeMultiply(u: Float64Array, out: Float64Array): void {
    this.product(COMMAND.transposeMultiply, u, out, () =>
      this.columns.transposeMultiplyColumns(this.input, this.output, 0, this.endColumn),
    );
  }

  transposeMultiplyWithSquared(
    u: Float64Array,
    v: Float64Array,
    outU: Float64Array,
    outV: Float64Array,
  ): void {
    const { rows, cols } = this.columns;
    this.secondInput.set(v.subarray(0, rows));
    this.product(COMMAND.transposeMultiplyWithSquared, u, outU, () =>
      this.columns.transposeMultiplyWithSquaredColumns(
        this.input,
        this.secondInput,
        this.output,
        this.secondOutput,
        0,
        this.endColumn,
      ),
    );
    outV.set(this.secondOutput.subarray(0, cols));
  }

  close(): void {
    Atomics.store(this.control, CONTROL.command, COMMAND.stop);
    Atomics.add(this.control, CONTROL.generation, 1);
    Atomics.notify(this.control, CONTROL.generation);
    for (const worker of this.workers) void worker.terminate();
  }

  /**
   * One product: `input` into the shared input (X v reads a column-sized vector, the others a
   * row-sized one), `command` run with this thread's block `own`, the shared output into `out`.
   */
  private product(command: number, input: Float64Array, out: Float64Array, own: () => void): void {
    const { rows, cols } = this.columns;
    const byRows = command === COMMAND.multiply;
    this.input.set(input.subarray(0, byRows ? cols : rows));
    this.run(command, own);
    out.set(this.output.subarray(0, byRows ? rows : cols));
  }

  /** Starts `command` on the workers, runs this thread's block, waits for theirs. */
  private run(command: number, own: () => void): void {
    const { control } = this;
    Atomics.store(control, CONTROL.command, command);
    Atomics.store(control, CONTROL.pending, this.workers.length);
    Atomics.add(control, CONTROL.generation, 1);
    Atomics.notify(control, CONTROL.generation);
    own();
    const deadline = Date.now() + PATIENCE_MS;
    for (;;) {
      const pending = Atomics.load(control, CONTROL.pending);
      if (pending === 0) break;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${pending} solver threads did not answer in ${PATIENCE_MS / 1000} s`);
      Atomics.wait(control, CONTROL.pending, pending, left);
    }
    if (Atomics.load(control, CONTROL.failed) !== 0) throw new Error('a solver thread failed a product');
  }
}
