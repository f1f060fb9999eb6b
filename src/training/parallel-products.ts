import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import {
  allocateColumnCopy,
  bucketStarts,
  type ColumnCopy,
  countColumns,
  placeRows,
  type RowEntries,
  sortBuckets,
} from '../model/column-copy.js';
import {
  type ColumnProducts,
  type ColumnProductsFactory,
  serialColumnProducts,
} from '../model/logistic-regression.js';
import { allocate, isShared } from '../model/memory.js';
import { blockStarts, type ColumnSource, CscMatrix, MULTIPLY_BLOCKS } from '../model/sparse.js';
import { startWorker } from '../worker-threads.js';
import {
  COMMAND,
  CONTROL,
  type CopyThreadData,
  multiplyShare,
  PLAN,
  type ProductThreadData,
} from './product-control.js';

/** Below this many entries in X, threads cost more to start than they save. */
export const MIN_ENTRIES_FOR_THREADS = 1_000_000;
/** How long a thread may take to start (tsx compiles it from source in tests) or a product to finish. */
const PATIENCE_MS = 60_000;

/**
 * The solver's products on `threads` threads (this one and `threads - 1` workers), when X has at least
 * `minEntries` entries; else on this thread. The answers are the same bits either way: X v is summed
 * by fixed blocks of columns (`CscMatrix.multiplyBlocks`), each thread taking whole blocks and the
 * blocks' shares added in block order, as on one thread, and Xᵀ u is cut into ranges of columns, each
 * entry one sum. A fit that calls `prepare` gets its threads started then, and they
 * serve each of its solves until `release`; without it, each solve starts and ends its own.
 */
export function threadedColumnProducts(
  threads: number,
  minEntries = MIN_ENTRIES_FOR_THREADS,
): ColumnProductsFactory & { readonly threadsStarted: number } {
  const idle: ProductThread[] = [];
  let kept = false;
  let started = 0;
  const startThread = () => {
    started++;
    return startProductThread();
  };
  const giveBack = (used: ProductThread[], failed: boolean) => {
    if (kept && !failed) idle.push(...used);
    else for (const thread of used) endThread(thread);
  };
  const factory: ColumnProductsFactory = (X) => {
    if (!(threads > 1 && X.nnz >= minEntries)) return serialColumnProducts(X);
    const workers = idle.splice(0, threads - 1);
    while (workers.length < threads - 1) workers.push(startThread());
    return new ThreadedProducts(X, workers, giveBack);
  };
  factory.prepare = (entries) => {
    kept = true;
    if (threads > 1 && entries >= minEntries) while (idle.length < threads - 1) idle.push(startThread());
  };
  factory.release = () => {
    kept = false;
    giveBack(idle.splice(0), false);
  };
  return Object.defineProperty(factory, 'threadsStarted', { get: () => started }) as typeof factory & {
    readonly threadsStarted: number;
  };
}

/** A product thread, waiting for a solve's data on `port`; `wake` moves when some is posted. */
interface ProductThread {
  worker: Worker;
  port: MessagePort;
  wake: Int32Array;
}

function startProductThread(): ProductThread {
  const { port1, port2 } = new MessageChannel();
  const wake = allocate(Int32Array, 1, true);
  const worker = startWorker(import.meta.url, 'product-worker', {
    workerData: { port: port2, wake },
    transferList: [port2],
  });
  worker.unref();
  return { worker, port: port1, wake };
}

function post(thread: ProductThread, data: ProductThreadData | null): void {
  thread.port.postMessage(data);
  Atomics.add(thread.wake, 0, 1);
  Atomics.notify(thread.wake, 0);
}

function endThread(thread: ProductThread): void {
  post(thread, null);
  thread.port.close();
  void thread.worker.terminate();
}

class ThreadedProducts implements ColumnProducts {
  readonly columns: CscMatrix;
  private readonly control = allocate(Int32Array, CONTROL.size, true);
  private readonly input: Float64Array;
  private readonly output: Float64Array;
  /** Each block of columns' share of X v (`CscMatrix.multiplyBlocks`), `rows` doubles a block. */
  private readonly shares: Float64Array;
  private readonly secondInput: Float64Array;
  private readonly secondOutput: Float64Array;
  private readonly workers: ProductThread[];
  private failed = false;
  /** Block 0's rows of the column copy, made on this thread, and its columns and buckets (`PLAN`). */
  private readonly endRow: number;
  private readonly plan: Uint32Array;

  constructor(
    X: ColumnSource,
    workers: ProductThread[],
    /** Takes the threads back when the solve is over (`failed`: one of them did not start or answer). */
    private readonly giveBack: (workers: ProductThread[], failed: boolean) => void,
  ) {
    this.workers = workers;
    const threads = workers.length + 1;
    const { rows, cols, nnz } = X;
    const rowBounds = [0, ...blockStarts(X.indptr, threads), rows];
    this.endRow = rowBounds[1];
    this.plan = sharedWords(threads * PLAN.size);
    this.input = sharedDoubles(Math.max(rows, cols));
    this.output = sharedDoubles(cols);
    this.shares = sharedDoubles(MULTIPLY_BLOCKS * rows);
    this.secondInput = sharedDoubles(rows);
    this.secondOutput = sharedDoubles(cols);
    // X's rows in shared memory (as `countTermsInParallel` leaves them): the threads copy X by
    // columns together. Elsewhere this thread makes the copy before starting them.
    const source = sharedRows(X);
    let copy: ColumnCopy | null = null;
    let copyData: CopyThreadData | null = null;
    if (source !== null) {
      copy = allocateColumnCopy(rows, cols, nnz, true);
      copyData = {
        source,
        local: copy.local,
        shift: copy.shift,
        buckets: copy.buckets,
        counts: sharedWords(threads * cols),
        next: sharedWords(threads * copy.buckets),
      };
      this.columns = new CscMatrix(rows, cols, copy.colptr, copy.rowIndices, copy.values);
    } else {
      this.columns = X.toColumns({ shared: true });
      this.setPlan(threads);
    }
    const { colptr, rowIndices, data } = this.columns;
    for (let block = 1; block < threads; block++) {
      const workerData: ProductThreadData = {
        control: this.control,
        rows,
        cols,
        colptr,
        rowIndices,
        data,
        copy: copyData,
        plan: this.plan,
        input: this.input,
        output: this.output,
        secondInput: this.secondInput,
        secondOutput: this.secondOutput,
        shares: this.shares,
        block,
        threads,
        firstRow: rowBounds[block],
        endRow: rowBounds[block + 1],
      };
      post(workers[block - 1], workerData);
    }
    try {
      if (copy !== null && copyData !== null && source !== null) this.copyTogether(source, copy, copyData);
      else this.waitUntilReady();
    } catch (error) {
      this.failed = true;
      this.close();
      throw error;
    }
  }

  /** The column copy, each thread its block of rows, then its range of buckets (`column-copy.ts`). */
  private copyTogether(source: RowEntries, copy: ColumnCopy, { counts, next }: CopyThreadData): void {
    const { cols, colptr, buckets, shift } = copy;
    const threads = this.workers.length + 1;
    this.run(COMMAND.countColumns, () => countColumns(source, 0, this.endRow, counts.subarray(0, cols)));
    for (let j = 0; j < cols; j++) {
      let at = colptr[j];
      for (let b = 0; b < threads; b++) at += counts[b * cols + j];
      colptr[j + 1] = at;
    }
    // Block b's entries follow the blocks' before it in every bucket.
    for (let c = 0; c < buckets; c++) next[c] = colptr[c << shift];
    for (let b = 1; b < threads; b++) {
      next.copyWithin(b * buckets, (b - 1) * buckets, b * buckets);
      for (let j = 0; j < cols; j++) next[b * buckets + (j >>> shift)] += counts[(b - 1) * cols + j];
    }
    this.setPlan(threads, copy);
    this.run(COMMAND.placeRows, () => placeRows(source, copy, 0, this.endRow, next.subarray(0, buckets)));
    this.run(COMMAND.sortBuckets, () =>
      sortBuckets(copy, this.plan[PLAN.firstBucket], this.plan[PLAN.endBucket]),
    );
  }

  /** Each thread's columns of Xᵀ u (and buckets to sort), about equal in entries: the columns counted. */
  private setPlan(threads: number, copy?: ColumnCopy): void {
    const { cols, colptr } = this.columns;
    const columnBounds = [0, ...blockStarts(colptr, threads), cols];
    const bucketOffsets = copy ? [...bucketStarts(copy), colptr[cols]] : [0];
    const buckets = bucketOffsets.length - 1;
    const bucketBounds = [0, ...blockStarts(bucketOffsets, threads), buckets];
    for (let b = 0; b < threads; b++) {
      const at = b * PLAN.size;
      this.plan[at + PLAN.firstColumn] = columnBounds[b];
      this.plan[at + PLAN.endColumn] = columnBounds[b + 1];
      this.plan[at + PLAN.firstBucket] = bucketBounds[b];
      this.plan[at + PLAN.endBucket] = bucketBounds[b + 1];
    }
  }

  /** Waits until every thread is listening (it blocks while the products run). */
  private waitUntilReady(): void {
    const deadline = Date.now() + PATIENCE_MS;
    for (;;) {
      const ready = Atomics.load(this.control, CONTROL.ready);
      if (ready === this.workers.length) break;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `${this.workers.length - ready} solver threads did not start in ${PATIENCE_MS / 1000} s`,
        );
      Atomics.wait(this.control, CONTROL.ready, ready, left);
    }
  }

  multiply(v: Float64Array, out: Float64Array): void {
    this.input.set(v.subarray(0, this.columns.cols));
    const [first, end] = multiplyShare(0, this.workers.length + 1);
    this.run(COMMAND.multiply, () => this.columns.multiplyShares(this.input, this.shares, first, end));
    // The blocks' shares added in block order, as `CscMatrix.multiply` adds them: the same bits.
    this.columns.addShares(this.shares, out);
  }

  transposeMultiply(u: Float64Array, out: Float64Array): void {
    this.product(COMMAND.transposeMultiply, u, out, () =>
      this.columns.transposeMultiplyColumns(this.input, this.output, 0, this.plan[PLAN.endColumn]),
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
        this.plan[PLAN.endColumn],
      ),
    );
    outV.set(this.secondOutput.subarray(0, cols));
  }

  /** Ends the solve: the threads go back to waiting for the next one's data. */
  close(): void {
    Atomics.store(this.control, CONTROL.command, COMMAND.stop);
    Atomics.add(this.control, CONTROL.generation, 1);
    Atomics.notify(this.control, CONTROL.generation);
    this.giveBack(this.workers, this.failed);
  }

  /**
   * One product of Xᵀ: `input` (row-sized) into the shared input, `command` run with this thread's
   * columns `own`, the shared output into `out`.
   */
  private product(command: number, input: Float64Array, out: Float64Array, own: () => void): void {
    const { rows, cols } = this.columns;
    this.input.set(input.subarray(0, rows));
    this.run(command, own);
    out.set(this.output.subarray(0, cols));
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
      if (left <= 0) {
        const idle = this.workers.length - Atomics.load(control, CONTROL.ready);
        this.failed = true;
        throw new Error(
          idle > 0
            ? `${idle} solver threads did not start in ${PATIENCE_MS / 1000} s`
            : `${pending} solver threads did not answer in ${PATIENCE_MS / 1000} s`,
        );
      }
      Atomics.wait(control, CONTROL.pending, pending, left);
    }
    if (Atomics.load(control, CONTROL.failed) !== 0) {
      this.failed = true;
      throw new Error('a solver thread failed a command');
    }
  }
}

const sharedWords = (length: number) => allocate(Uint32Array, length, true);
const sharedDoubles = (length: number) => allocate(Float64Array, length, true);

/** X's rows if they are in shared memory (a scale that is not is copied there: one number a column). */
function sharedRows(X: ColumnSource): RowEntries | null {
  const { indptr, indices, data, scale } = X;
  if (!isShared(indptr) || !isShared(indices) || !isShared(data)) return null;
  if (scale === undefined || isShared(scale)) return { indptr, indices, data, scale };
  const copied = sharedDoubles(scale.length);
  copied.set(scale);
  return { indptr, indices, data, scale: copied };
}
