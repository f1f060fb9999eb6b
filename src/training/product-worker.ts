import { type MessagePort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { type ColumnCopy, countColumns, placeRows, sortBuckets } from '../model/column-copy.js';
import { CscMatrix } from '../model/sparse.js';
import { COMMAND, CONTROL, multiplyShare, PLAN, type ProductThreadData } from './product-control.js';

/**
 * A product thread of the solver. It starts before its matrix exists and waits for one solve's data
 * on its port (`wake` moves when some was posted; null ends the thread). For that solve it waits for
 * a command on the shared control array, runs it on its block (its part of the column copy, of X v
 * or of Xᵀ u) into shared memory, and counts itself done, until told to stop; then it waits for the
 * next solve. Synchronous: the fitting thread blocks while its products run, so no event loop is
 * involved, and the data is read off the port synchronously.
 */
const { port, wake } = workerData as { port: MessagePort; wake: Int32Array };
for (let d = nextSolve(); d !== null; d = nextSolve()) serve(d);
port.close();

function nextSolve(): ProductThreadData | null {
  for (;;) {
    const posted = Atomics.load(wake, 0);
    const received = receiveMessageOnPort(port);
    if (received) return received.message as ProductThreadData | null;
    Atomics.wait(wake, 0, posted);
  }
}

function serve(d: ProductThreadData): void {
  const columns = new CscMatrix(d.rows, d.cols, d.colptr, d.rowIndices, d.data);
  const [firstBlock, endBlock] = multiplyShare(d.block, d.threads);
  const copy: ColumnCopy | null = d.copy && {
    rows: d.rows,
    cols: d.cols,
    colptr: d.colptr,
    rowIndices: d.rowIndices,
    values: d.data,
    local: d.copy.local,
    shift: d.copy.shift,
    buckets: d.copy.buckets,
  };
  const plan = d.plan.subarray(d.block * PLAN.size, (d.block + 1) * PLAN.size);
  const { control } = d;
  Atomics.add(control, CONTROL.ready, 1);
  Atomics.notify(control, CONTROL.ready);
  let seen = 0;
  for (;;) {
    Atomics.wait(control, CONTROL.generation, seen);
    seen = Atomics.load(control, CONTROL.generation);
    const command = Atomics.load(control, CONTROL.command);
    if (command === COMMAND.stop) return;
    try {
      run(command);
    } catch {
      Atomics.store(control, CONTROL.failed, 1);
    }
    if (Atomics.sub(control, CONTROL.pending, 1) === 1) Atomics.notify(control, CONTROL.pending);
  }

  function run(command: number): void {
    if (command === COMMAND.multiply) columns.multiplyShares(d.input, d.shares, firstBlock, endBlock);
    else if (command === COMMAND.transposeMultiply)
      columns.transposeMultiplyColumns(d.input, d.output, plan[PLAN.firstColumn], plan[PLAN.endColumn]);
    else if (command === COMMAND.transposeMultiplyWithSquared)
      columns.transposeMultiplyWithSquaredColumns(
        d.input,
        d.secondInput,
        d.output,
        d.secondOutput,
        plan[PLAN.firstColumn],
        plan[PLAN.endColumn],
      );
    else if (d.copy === null || copy === null) throw new Error('no column copy to make');
    else if (command === COMMAND.countColumns)
      countColumns(
        d.copy.source,
        d.firstRow,
        d.endRow,
        d.copy.counts.subarray(d.block * d.cols, (d.block + 1) * d.cols),
      );
    else if (command === COMMAND.placeRows)
      placeRows(
        d.copy.source,
        copy,
        d.firstRow,
        d.endRow,
        d.copy.next.subarray(d.block * copy.buckets, (d.block + 1) * copy.buckets),
      );
    else if (command === COMMAND.sortBuckets) sortBuckets(copy, plan[PLAN.firstBucket], plan[PLAN.endBucket]);
    else throw new Error(`unknown command ${command}`);
  }
}
