import { describe, expect, it } from 'vitest';
import {
  appendRows,
  blockStarts,
  ColumnScaledMatrix,
  CsrBuilder,
  CsrMatrix,
  MULTIPLY_BLOCKS,
  stackRows,
} from '../../src/model/sparse.js';

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

describe('the column-major copy of a larger matrix (sorted bucket by bucket)', () => {
  it('holds every entry at its place: each column by increasing row, a dense column and empty ones too', () => {
    let seed = 7;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const rows = 3000;
    const cols = 70_000;
    const indptr = new Uint32Array(rows + 1);
    const indices: number[] = [];
    const data: number[] = [];
    for (let i = 0; i < rows; i++) {
      const seen = new Set<number>();
      // Column 5 in every row; the rest spread, in no order within the row.
      for (const j of [5, ...Array.from({ length: 40 }, () => Math.floor(next() * next() * cols))]) {
        if (seen.has(j)) continue;
        seen.add(j);
        indices.push(j);
        data.push(next() - 0.5);
      }
      indptr[i + 1] = indices.length;
    }
    const X = new CsrMatrix(rows, cols, indptr, Uint32Array.from(indices), Float64Array.from(data));
    const byColumn = Array.from({ length: cols }, () => [] as [number, number][]);
    for (let i = 0; i < rows; i++)
      for (let k = indptr[i]; k < indptr[i + 1]; k++) byColumn[indices[k]].push([i, data[k]]);
    const C = X.toColumns();
    expect(Array.from(C.colptr.subarray(1)).every((end, j) => end - C.colptr[j] === byColumn[j].length)).toBe(
      true,
    );
    const expected = byColumn.flat();
    expect(Array.from(C.rowIndices)).toEqual(expected.map(([i]) => i));
    expect(Array.from(C.data)).toEqual(expected.map(([, x]) => x));
    // X v by blocks of columns: each row's share of each block summed in column order, then the
    // shares added in block order.
    const v = Float64Array.from({ length: cols }, (_, j) => (j % 11 === 0 ? 0 : Math.sin(j)));
    const blocks = C.multiplyBlocks;
    expect(blocks).toHaveLength(MULTIPLY_BLOCKS + 1);
    const expectedProduct = new Float64Array(rows);
    for (let b = 0; b < MULTIPLY_BLOCKS; b++) {
      const share = new Float64Array(rows);
      for (let j = blocks[b]; j < blocks[b + 1]; j++) for (const [i, x] of byColumn[j]) share[i] += x * v[j];
      for (let i = 0; i < rows; i++) expectedProduct[i] += share[i];
    }
    expect(Array.from(C.multiply(v, new Float64Array(rows).fill(Number.NaN)))).toEqual(
      Array.from(expectedProduct),
    );
    // The blocks hold about equal entries, whatever their columns.
    const entries = blocks.slice(1).map((end, b) => C.colptr[end] - C.colptr[blocks[b]]);
    expect(Math.max(...entries) - Math.min(...entries)).toBeLessThan(C.data.length / MULTIPLY_BLOCKS / 4);
  });
});

describe('X diag(scale) without a scaled copy', () => {
  it('gives the column-major copy of the scaled matrix, bit for bit, and refuses a scale of the wrong size', () => {
    const scale = Float64Array.from([0.1, 3, -0.7, 1e-3, 2.5]);
    const lazy = new ColumnScaledMatrix(X, scale);
    const copied = X.scaleColumns(scale).toColumns();
    const C = lazy.toColumns();
    expect(C.data).toEqual(copied.data);
    expect(C.rowIndices).toEqual(copied.rowIndices);
    expect([lazy.rows, lazy.cols, lazy.nnz, lazy.indptr]).toEqual([X.rows, X.cols, X.nnz, X.indptr]);
    expect(() => new ColumnScaledMatrix(X, new Float64Array(4))).toThrow(RangeError);
  });
});

describe('blocks of rows and columns, for product threads', () => {
  it('cuts at about equal entries, empty blocks where one row holds more than a share', () => {
    expect(blockStarts([0, 2, 4, 6, 8], 2)).toEqual([2]);
    expect(blockStarts([0, 1, 2, 3, 4, 5, 6], 3)).toEqual([2, 4]);
    // Row 0 holds 10 of 12 entries: blocks 1 and 2 both start after it.
    expect(blockStarts([0, 10, 11, 12], 3)).toEqual([1, 1]);
    expect(blockStarts([0, 0, 0], 2)).toEqual([0]);
  });

  it('can live in shared memory', () => {
    const C = X.toColumns({ shared: true });
    for (const array of [C.colptr, C.rowIndices, C.data])
      expect(array.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(C.data)).toEqual(Array.from(X.toColumns().data));
  });
});

describe('stacking rows in place of the first part', () => {
  const parts = () => {
    const builder = new CsrBuilder(2, 64);
    builder.addRow(Uint32Array.of(0, 2), Float64Array.of(1, 2), 2);
    builder.addRow(Uint32Array.of(1), Float64Array.of(3), 1);
    const second = new CsrMatrix(
      2,
      3,
      Uint32Array.of(0, 1, 3),
      Uint32Array.of(2, 0, 1),
      Float64Array.of(4, 5, 6),
    );
    const third = new CsrMatrix(1, 3, Uint32Array.of(0, 0), new Uint32Array(0), new Float64Array(0));
    return [builder.finish(3), second, third];
  };
  const dense = (m: CsrMatrix) => Array.from({ length: m.rows }, (_, i) => Array.from(m.denseRow(i)));

  it("appends the later parts' entries in the first part's room, without moving its entries", () => {
    const [first, ...rest] = parts();
    const expected = dense(stackRows([first, ...rest]));
    const stacked = appendRows([first, ...rest]);
    expect(stacked.indices.buffer).toBe(first.indices.buffer);
    expect(stacked.data.buffer).toBe(first.data.buffer);
    expect(Array.from(stacked.indptr)).toEqual([0, 2, 3, 4, 6, 6]);
    expect(Array.from(stacked.indices)).toEqual([0, 2, 1, 2, 0, 1]);
    expect(dense(stacked)).toEqual(expected);
  });

  it('copies into new arrays when the first part has no room, and refuses parts of other widths', () => {
    const [, second, third] = parts();
    const stacked = appendRows([second, third, second]);
    expect(stacked.indices.buffer).not.toBe(second.indices.buffer);
    expect(dense(stacked)).toEqual(dense(stackRows([second, third, second])));
    const narrow = new CsrMatrix(1, 2, Uint32Array.of(0, 0), new Uint32Array(0), new Float64Array(0));
    expect(() => appendRows([second, narrow])).toThrow(RangeError);
    expect(() => appendRows([])).toThrow(RangeError);
  });
});
