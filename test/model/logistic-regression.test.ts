import { describe, expect, it } from 'vitest';
import {
  type ColumnProductsFactory,
  fitLogisticRegression,
  serialColumnProducts,
} from '../../src/model/logistic-regression.js';
import { CsrMatrix, stackRows } from '../../src/model/sparse.js';

/** A seeded generator of numbers in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function randomProblem(rows: number, cols: number, seed: number) {
  const random = seededRandom(seed);
  const indptr = new Uint32Array(rows + 1);
  const indices: number[] = [];
  const data: number[] = [];
  const labels = new Uint8Array(rows);
  const truth = Array.from({ length: cols }, () => random() * 4 - 2);
  for (let i = 0; i < rows; i++) {
    let z = 0.3;
    for (let j = 0; j < cols; j++) {
      if (random() < 0.3) {
        const v = random();
        indices.push(j);
        data.push(v);
        z += v * truth[j];
      }
    }
    labels[i] = random() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    indptr[i + 1] = indices.length;
  }
  return { X: new CsrMatrix(rows, cols, indptr, Uint32Array.from(indices), Float64Array.from(data)), labels };
}

/** ½‖w‖² + C Σ log(1 + exp(−y z)), computed naively. */
function objective(X: CsrMatrix, labels: Uint8Array, w: Float64Array, b: number, C: number) {
  const z = X.multiply(w);
  let loss = 0;
  z.forEach((zi, i) => {
    loss += Math.log1p(Math.exp(-(labels[i] === 1 ? 1 : -1) * (zi + b)));
  });
  return 0.5 * w.reduce((s, v) => s + v * v, 0) + C * loss;
}

describe('fitLogisticRegression (trust-region Newton)', () => {
  const { X, labels } = randomProblem(300, 20, 7);

  it('reaches a stationary point of the L2-penalized log-loss with an unpenalized intercept', () => {
    const fit = fitLogisticRegression(X, labels, { C: 2, tol: 1e-10, maxIter: 100, fitIntercept: true });
    expect(fit.converged).toBe(true);
    const f = objective(X, labels, fit.weights, fit.intercept, 2);
    expect(fit.objective).toBeCloseTo(f, 8);
    // Any small move, including one of the intercept alone, increases the objective.
    for (const [j, step] of [
      [0, 1e-4],
      [5, -1e-4],
    ] as const) {
      const moved = fit.weights.slice();
      moved[j] += step;
      expect(objective(X, labels, moved, fit.intercept, 2)).toBeGreaterThan(f);
    }
    expect(objective(X, labels, fit.weights, fit.intercept + 1e-4, 2)).toBeGreaterThan(f);
    expect(objective(X, labels, fit.weights, fit.intercept - 1e-4, 2)).toBeGreaterThan(f);
  });

  it('penalizes the weights more as C shrinks', () => {
    const norm = (C: number) =>
      Math.hypot(
        ...fitLogisticRegression(X, labels, { C, tol: 1e-8, maxIter: 100, fitIntercept: true }).weights,
      );
    expect(norm(0.01)).toBeLessThan(norm(1));
    expect(norm(1)).toBeLessThan(norm(100));
  });

  it('is deterministic to the bit', () => {
    const a = fitLogisticRegression(X, labels, { C: 1, tol: 1e-8, maxIter: 100, fitIntercept: true });
    const b = fitLogisticRegression(X, labels, { C: 1, tol: 1e-8, maxIter: 100, fitIntercept: true });
    expect(Buffer.from(a.weights.buffer).equals(Buffer.from(b.weights.buffer))).toBe(true);
    expect(a.intercept).toBe(b.intercept);
  });

  it('makes one X v per Hessian product and one pass of Xᵀ per Hessian product or new point, nothing else', () => {
    const passes = { multiply: 0, transpose: 0, gradient: 0 };
    const counting: ColumnProductsFactory = (source) => {
      const inner = serialColumnProducts(source);
      return {
        columns: inner.columns,
        multiply: (v, out) => {
          passes.multiply++;
          inner.multiply(v, out);
        },
        transposeMultiply: (u, out) => {
          passes.transpose++;
          inner.transposeMultiply(u, out);
        },
        transposeMultiplyWithSquared: (u, v, outU, outV) => {
          passes.gradient++;
          inner.transposeMultiplyWithSquared(u, v, outU, outV);
        },
        close: () => inner.close(),
      };
    };
    const options = { C: 1, tol: 1e-8, maxIter: 100, fitIntercept: true };
    const fit = fitLogisticRegression(X, labels, options, undefined, undefined, counting);
    expect(fit.hessianProducts).toBeGreaterThan(fit.iterations);
    // A candidate's scores come from the conjugate gradients' own products, not from X (w + s).
    expect(passes.multiply).toBe(fit.hessianProducts);
    expect(passes.transpose).toBe(fit.hessianProducts);
    // The start and each accepted point: gradient and preconditioner together.
    expect(passes.gradient).toBe(fit.iterations + 1);
    // And the answer is the one the products give when counted or not, and the objective it
    // reports is the one its weights have: the scores summed along the way are w's.
    const plain = fitLogisticRegression(X, labels, options);
    expect(fit.weights).toEqual(plain.weights);
    const f = objective(X, labels, fit.weights, fit.intercept, options.C);
    expect(Math.abs(fit.objective - f) / f).toBeLessThan(1e-12);
  });

  // Separable rows with large values: the quadratic model is poor, steps are rejected and later
  // ones cut at the trust region's edge, where the step (and its scores) is moved back and out again.
  it('reports the objective its weights have after steps cut at the trust region’s edge', () => {
    const random = seededRandom(10);
    // Seven accepted steps of this fit were cut at the edge (counted when this test was written).
    const [rows, cols] = [100, 3];
    const indptr = new Uint32Array(rows + 1);
    const indices: number[] = [];
    const data: number[] = [];
    const labels = new Uint8Array(rows);
    for (let i = 0; i < rows; i++) {
      let z = 0;
      for (let j = 0; j < cols; j++) {
        if (random() < 0.5) {
          const v = random() * 50;
          indices.push(j);
          data.push(v);
          z += (j % 2 ? 1 : -1) * v;
        }
      }
      labels[i] = z > 0 ? 1 : 0;
      indptr[i + 1] = indices.length;
    }
    const separable = new CsrMatrix(rows, cols, indptr, Uint32Array.from(indices), Float64Array.from(data));
    const C = 1000;
    const fit = fitLogisticRegression(separable, labels, { C, tol: 1e-8, maxIter: 100, fitIntercept: true });
    const f = objective(separable, labels, fit.weights, fit.intercept, C);
    expect(Math.abs(fit.objective - f) / f).toBeLessThan(1e-9);
  });

  it('reports iterations and gradient norm, and flags a run that hit maxIter', () => {
    const fit = fitLogisticRegression(X, labels, { C: 100, tol: 1e-14, maxIter: 1, fitIntercept: true });
    expect(fit.iterations).toBe(1);
    expect(fit.converged).toBe(false);
    expect(fit.gradientNorm).toBeGreaterThan(0);
  });

  it('fits no intercept when told not to', () => {
    const fit = fitLogisticRegression(X, labels, { C: 1, tol: 1e-8, maxIter: 100, fitIntercept: false });
    expect(fit.intercept).toBe(0);
  });

  it('rejects a non-positive C and mismatched labels', () => {
    expect(() =>
      fitLogisticRegression(X, labels, { C: 0, tol: 1e-8, maxIter: 10, fitIntercept: true }),
    ).toThrow(/C must be > 0/);
    expect(() => fitLogisticRegression(X, labels.subarray(1))).toThrow(/one label per row/);
  });

  it('treats a sample weight of 2 exactly as the row given twice, and 0 as the row left out', () => {
    const { X, labels } = randomProblem(60, 8, 7);
    const options = { C: 3, tol: 1e-12, maxIter: 200, fitIntercept: true };
    const weights = Float64Array.from({ length: 60 }, (_, i) => (i < 10 ? 2 : i < 20 ? 0 : 1));
    const weighted = fitLogisticRegression(X, labels, options, undefined, weights);
    const rows = [
      ...Array.from({ length: 10 }, (_, i) => i),
      ...Array.from({ length: 10 }, (_, i) => i),
      ...Array.from({ length: 40 }, (_, i) => i + 20),
    ];
    const picked = stackRows(rows.map((i) => rowOf(X, i)));
    const repeated = fitLogisticRegression(
      picked,
      Uint8Array.from(rows, (i) => labels[i]),
      options,
    );
    for (let j = 0; j < 8; j++) expect(weighted.weights[j]).toBeCloseTo(repeated.weights[j], 8);
    expect(weighted.intercept).toBeCloseTo(repeated.intercept, 8);
    expect(() => fitLogisticRegression(X, labels, options, undefined, new Float64Array(59))).toThrow(
      /one sample weight/,
    );
    expect(() =>
      fitLogisticRegression(
        X,
        labels,
        options,
        undefined,
        weights.map((w, i) => (i ? w : -1)),
      ),
    ).toThrow(/finite number >= 0/);
  });
});

function rowOf(X: CsrMatrix, i: number): CsrMatrix {
  const start = X.indptr[i];
  const end = X.indptr[i + 1];
  return new CsrMatrix(
    1,
    X.cols,
    Uint32Array.from([0, end - start]),
    X.indices.slice(start, end),
    X.data.slice(start, end),
  );
}
