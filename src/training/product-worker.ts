import { workerData } from 'node:worker_threads';
import { CscMatrix } from '../model/sparse.js';
import { COMMAND, CONTROL, type ProductThreadData } from './product-control.js';

/**
 * A product thread of the solver: waits for a command on the shared control array, computes its
 * block of X v or Xᵀ u into the shared output, and counts itself done. Synchronous: the fitting
 * thread blocks while its products run, so no message (and no event loop) is involved.
 */
const d = workerData as ProductThreadData;
const columns = new CscMatrix(d.rows, d.cols, d.colptr, d.rowIndices, d.data, d.rowSplits);
const { control } = d;
Atomics.add(control, CONTROL.ready, 1);
Atomics.notify(control, CONTROL.ready);
let seen = 0;
for (;;) {
  Atomics.wait(control, CONTROL.generation, seen);
  seen = Atomics.load(control, CONTROL.generation);
  const command = Atomics.load(control, CONTROL.command);
  if (command === COMMAND.stop) break;
  try {
    if (command === COMMAND.multiply)
      columns.multiplyRowBlock(d.input, d.output, d.block, d.firstRow, d.endRow);
    else if (command === COMMAND.transposeMultiply)
      columns.transposeMultiplyColumns(d.input, d.output, d.firstColumn, d.endColumn);
    else
      columns.transposeMultiplyWithSquaredColumns(
        d.input,
        d.secondInput,
        d.output,
        d.secondOutput,
        d.firstColumn,
        d.endColumn,
      );
  } catch {
    Atomics.store(control, CONTROL.failed, 1);
  }
  if (Atomics.sub(control, CONTROL.pending, 1) === 1) Atomics.notify(control, CONTROL.pending);
}
