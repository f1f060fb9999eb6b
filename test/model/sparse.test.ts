import { describe, expect, it } from 'vitest';
import { CsrMatrix } from '../../src/model/sparse.js';

// A 4 × 5 matrix with an empty row, an empty column and entries out of column order in a row.
const X = new CsrMatrix(
  4,
  5,
  Uint32Array.from([0, 3, 3, 5, 7]),
  Uint32Array.from([4, 0, 2, 1, 4, 0, 3]),
  Float64Array.from([1.5, -2, 3, 0.25, 4, -1, 2]),
);
const dense = [0, 1, 2, 3].map((i) => Array.from(X.denseRow(i)));

describe('the column-major copy the solver multiplies with', () => {
  it('holds the same entries, each column by increasing row', () => {
    const C = X.toColumns();
    expect(Array.from(C.colptr)).toEqual([0, 2, 3, 4, 5, 7]);
    expect(Array.from(C.rowIndices)).toEqual([0, 3, 2, 0, 3, 0, 2]);
    expect(Array.from(C.data)).toEqual([-2, -1, 0.25, 3, 2, 1.5, 4]);
  });

  it('gives X v and Xᵀ u as the row-major matrix and the dense arithmetic do', () => {
    const C = X.toColumns();
    const v = Float64Array.from([0.5, -1, 2, 0, 3]);
    const u = Float64Array.from([1, 7, -2, 0.5]);
    const Xv = dense.map((row) => row.reduce((sum, x, j) => sum + x * v[j], 0));
    const XTu = [0, 1, 2, 3, 4].map((j) => dense.reduce((sum, row, i) => sum + row[j] * u[i], 0));
    expect(Array.from(C.multiply(v))).toEqual(Xv);
    expect(Array.from(X.multiply(v))).toEqual(Xv);
    expect(Array.from(C.transposeMultiply(u))).toEqual(XTu);
    expect(Array.from(X.transposeMultiply(u))).toEqual(XTu);
    // Reused output buffers are overwritten, not added to.
    const out = new Float64Array(4).fill(9);
    expect(Array.from(C.multiply(v, out))).toEqual(Xv);
  });
});
