import { describe, expect, it } from 'vitest';
import {
  type ColumnProducts,
  fitLogisticRegression,
  serialColumnProducts,
} from '../../src/model/logistic-regression.js';
import { ColumnScaledMatrix, type ColumnSource, CsrMatrix } from '../../src/model/sparse.js';
import { threadedColumnProducts } from '../../src/training/parallel-products.js';

/** A random sparse matrix with empty rows and columns, one dense row, and labels that depend on it. */
function problem(rows: number, cols: number) {
  let state = 11;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const indptr = new Uint32Array(rows + 1);
  const indices: number[] = [];
  const data: number[] = [];
  for (let i = 0; i < rows; i++) {
    const count = i === 7 ? cols - 3 : i % 13 === 0 ? 0 : 1 + Math.floor(next() * 12);
    const picked = new Set<number>();
    while (picked.size < count) picked.add(Math.floor(next() * (cols - 3)));
    for (const j of [...picked].sort((a, b) => a - b)) {
      indices.push(j);
      data.push(next() * 2 - 0.5);
    }
    indptr[i + 1] = indices.length;
  }
  const X = new CsrMatrix(rows, cols, indptr, Uint32Array.from(indices), Float64Array.from(data));
  const labels = Array.from({ length: rows }, (_, i) => {
    let score = 0;
    for (let k = indptr[i]; k < indptr[i + 1]; k++) score += (indices[k] % 2 ? 1 : -1) * data[k];
    return score + (next() - 0.5) > 0 ? 1 : 0;
  });
  return { X, labels };
}

describe("the solver's products on threads", () => {
  const { X, labels } = problem(2_000, 400);

  it('give X v, Xᵀ u and (X∘X)ᵀ w bit for bit as on one thread', () => {
    const serial = serialColumnProducts(X);
    const threaded = threadedColumnProducts(3, 0)(X);
    try {
      expect(threaded.columns.data.buffer).toBeInstanceOf(SharedArrayBuffer);
      for (let trial = 0; trial < 3; trial++) {
        const v = Float64Array.from({ length: X.cols + 1 }, (_, j) =>
          j % 5 === 0 ? 0 : Math.sin(j + trial),
        );
        const u = Float64Array.from({ length: X.rows }, (_, i) => Math.cos(i * (trial + 1)));
        const c = expectSameProducts(serial, threaded, v, u);
        // Xᵀ u and (X∘X)ᵀ w in one pass: Xᵀ u the same bits as alone.
        const w = Float64Array.from({ length: X.rows }, (_, i) => 1 + Math.sin(i * (trial + 2)));
        const [e, f] = [new Float64Array(X.cols), new Float64Array(X.cols).fill(Number.NaN)];
        const [g, h] = [new Float64Array(X.cols).fill(Number.NaN), new Float64Array(X.cols).fill(Number.NaN)];
        serial.transposeMultiplyWithSquared(u, w, g, e);
        threaded.transposeMultiplyWithSquared(u, w, h, f);
        expect(g).toEqual(c);
        expect(h).toEqual(c);
        expect(f).toEqual(e);
        // Against the definition, entry by entry from the rows.
        const squared = new Float64Array(X.cols);
        for (let i = 0; i < X.rows; i++)
          for (let k = X.indptr[i]; k < X.indptr[i + 1]; k++) squared[X.indices[k]] += w[i] * X.data[k] ** 2;
        for (let j = 0; j < X.cols; j++) expect(e[j]).toBeCloseTo(squared[j], 12);
      }
    } finally {
      threaded.close();
    }
  }, 60_000);

  it('fit the same weights, bit for bit, as one thread (the column copy made here or by the threads)', () => {
    const options = { C: 3, tol: 1e-8, maxIter: 100, fitIntercept: true };
    const one = fitLogisticRegression(X, labels, options);
    expect(one.hessianProducts).toBeGreaterThan(5);
    for (const rows of [X, sharedCopy(X)]) {
      const two = fitLogisticRegression(
        rows,
        labels,
        options,
        undefined,
        undefined,
        threadedColumnProducts(2, 0),
      );
      expect(two.weights).toEqual(one.weights);
      expect(two.intercept).toBe(one.intercept);
      expect(two.hessianProducts).toBe(one.hessianProducts);
    }
  }, 60_000);

  it('serve every solve of a fit with the threads `prepare` started, bit for bit, until `release`', () => {
    const serial = serialColumnProducts(X);
    const v = Float64Array.from({ length: X.cols + 1 }, (_, j) => Math.sin(j));
    const u = Float64Array.from({ length: X.rows }, (_, i) => Math.cos(i));
    const factory = threadedColumnProducts(3, 0);
    factory.prepare?.(X.nnz);
    expect(factory.threadsStarted).toBe(2);
    try {
      // The column copy made here, then by the threads, then here again: the same two threads.
      for (const rows of [X, sharedCopy(X), X]) {
        const products = factory(rows);
        try {
          expectSameProducts(serial, products, v, u);
        } finally {
          products.close();
        }
      }
      expect(factory.threadsStarted).toBe(2);
    } finally {
      factory.release?.();
    }
    // Released: a solve starts its own threads (and ends them).
    const products = factory(X);
    expectSameProducts(serial, products, v, u);
    products.close();
    expect(factory.threadsStarted).toBe(4);
  }, 60_000);

  it('stay on this thread for a small matrix or one thread', () => {
    for (const products of [threadedColumnProducts(4)(X), threadedColumnProducts(1, 0)(X)]) {
      expect(products.columns.data.buffer).toBeInstanceOf(ArrayBuffer);
      products.close();
    }
  });
});

/** Checks that `b` gives X v and Xᵀ u as `a` does, bit for bit; returns Xᵀ u. */
function expectSameProducts(a: ColumnProducts, b: ColumnProducts, v: Float64Array, u: Float64Array) {
  const { rows, cols } = a.columns;
  const [av, bv] = [new Float64Array(rows), new Float64Array(rows).fill(Number.NaN)];
  a.multiply(v, av);
  b.multiply(v, bv);
  expect(firstDifference(bv, av)).toBe(-1);
  const [au, bu] = [new Float64Array(cols), new Float64Array(cols).fill(Number.NaN)];
  a.transposeMultiply(u, au);
  b.transposeMultiply(u, bu);
  expect(firstDifference(bu, au)).toBe(-1);
  return au;
}

/** Where two arrays first differ (Object.is: bit for bit, NaN equal to NaN), or -1: cheap to report on large arrays. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/** X with its rows in SharedArrayBuffers, as parallel counting leaves them. */
function sharedCopy(X: CsrMatrix): CsrMatrix {
  const shared = <T extends Uint32Array | Float64Array>(array: T): T => {
    const copy = new (array.constructor as new (buffer: SharedArrayBuffer) => T)(
      new SharedArrayBuffer(array.byteLength),
    );
    copy.set(array);
    return copy;
  };
  return new CsrMatrix(X.rows, X.cols, shared(X.indptr), shared(X.indices), shared(X.data));
}

describe('the column copy made on the product threads', () => {
  // About 120,000 entries: several buckets of columns to place and sort.
  const { X } = problem(20_000, 3_000);
  const scale = Float64Array.from({ length: X.cols }, (_, j) => 0.5 + (j % 7) / 3);

  for (const [name, source, rowsOf] of [
    ['X', sharedCopy(X), X],
    [
      'X diag(scale), the scale not shared',
      new ColumnScaledMatrix(sharedCopy(X), scale),
      X.scaleColumns(scale),
    ],
  ] as const) {
    it(`is the copy one thread makes, bit for bit, for ${name} with its rows in shared memory`, () => {
      // The threads must make it: this source refuses to make it itself.
      const refusing: ColumnSource = Object.assign(Object.create(source), {
        toColumns: () => {
          throw new Error('the copy was made on one thread');
        },
      });
      for (const threads of [2, 3]) {
        const products = threadedColumnProducts(threads, 0)(refusing);
        try {
          const expected = source.toColumns();
          const { columns } = products;
          expect(firstDifference(columns.colptr, expected.colptr)).toBe(-1);
          expect(firstDifference(columns.rowIndices, expected.rowIndices)).toBe(-1);
          expect(firstDifference(columns.data, expected.data)).toBe(-1);
          const v = Float64Array.from({ length: X.cols + 1 }, (_, j) => Math.sin(j));
          const u = Float64Array.from({ length: X.rows }, (_, i) => Math.cos(i));
          expectSameProducts(serialColumnProducts(rowsOf), products, v, u);
        } finally {
          products.close();
        }
      }
    }, 60_000);
  }
});
