import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCsvDataset } from '../../src/data/csv-dataset.js';
import { fitTfidf } from '../../src/model/count-ngrams.js';
import { fitLogisticRegression } from '../../src/model/logistic-regression.js';
import type { CsrMatrix } from '../../src/model/sparse.js';
import type { TfidfOptions } from '../../src/model/vectorizer.js';

interface Fixture {
  sklearnVersion: string;
  corpus: string[];
  unseen: string[];
  vectorizers: Array<{
    name: string;
    options: TfidfOptions;
    vocabulary: string[];
    idf: number[] | null;
    fitted: Array<Record<string, number>>;
    unseen: Array<Record<string, number>>;
  }>;
  smallLogistic: {
    labels: number[];
    C: number;
    coefficients: number[];
    intercept: number;
    probabilities: number[];
  };
  logistic: Array<{
    name: string;
    options: TfidfOptions;
    C: number;
    trainSize: number;
    testSize: number;
    vocabularySize: number;
    intercept: number;
    probabilities: number[];
  }>;
}

const fixture: Fixture = JSON.parse(
  readFileSync(new URL('../fixtures/sklearn-parity.json', import.meta.url), 'utf8'),
);

function expectRowsClose(matrix: CsrMatrix, expected: Array<Record<string, number>>, tolerance: number) {
  expect(matrix.rows).toBe(expected.length);
  expected.forEach((row, i) => {
    const dense = matrix.denseRow(i);
    const want = new Float64Array(matrix.cols);
    for (const [column, value] of Object.entries(row)) want[Number(column)] = value;
    for (let j = 0; j < matrix.cols; j++) {
      if (Math.abs(dense[j] - want[j]) > tolerance) {
        throw new Error(`row ${i}, column ${j}: ${dense[j]} vs scikit-learn ${want[j]}`);
      }
    }
  });
}

function probability(z: number) {
  return 1 / (1 + Math.exp(-z));
}

describe(`parity with scikit-learn ${fixture.sklearnVersion}`, () => {
  describe.each(fixture.vectorizers)('TfidfVectorizer($name)', (testCase) => {
    const { vectorizer, matrix } = fitTfidf(fixture.corpus, testCase.options);

    it('learns the identical vocabulary, in the same order', () => {
      expect(vectorizer.vocabulary.terms()).toEqual(testCase.vocabulary);
    });

    it('learns idf within 1e-12', () => {
      if (testCase.idf === null) return expect(vectorizer.weighting.idf).toBeNull();
      const idf = Array.from(vectorizer.weighting.idf ?? []);
      idf.forEach((value, j) => expect(value).toBeCloseTo(testCase.idf![j], 12));
    });

    it('computes the fitted tf-idf matrix within 1e-9', () => {
      expectRowsClose(matrix, testCase.fitted, 1e-9);
    });

    it('transforms unseen documents within 1e-9', () => {
      expectRowsClose(vectorizer.transform(fixture.unseen), testCase.unseen, 1e-9);
    });
  });

  it('fits the same logistic regression on a small corpus (coefficients 1e-6, probabilities 1e-4)', () => {
    const { labels, C, coefficients, intercept, probabilities } = fixture.smallLogistic;
    const defaults = fixture.vectorizers[0].options;
    const { vectorizer, matrix } = fitTfidf(fixture.corpus, defaults);
    const fit = fitLogisticRegression(matrix, labels, { C, tol: 1e-12, maxIter: 200, fitIntercept: true });
    expect(fit.converged).toBe(true);
    fit.weights.forEach((w, j) => expect(Math.abs(w - coefficients[j])).toBeLessThan(1e-6));
    expect(fit.intercept).toBeCloseTo(intercept, 6);
    const scores = vectorizer.transform(fixture.unseen).multiply(fit.weights);
    scores.forEach((z, i) =>
      expect(Math.abs(probability(z + fit.intercept) - probabilities[i])).toBeLessThan(1e-4),
    );
  });

  describe.each(fixture.logistic)('LogisticRegression on the IMDb sample ($name)', (testCase) => {
    it('gives probabilities within 1e-4 of predict_proba', async () => {
      const sample = await readCsvDataset(new URL('../../data/imdb-sample.csv.gz', import.meta.url).pathname);
      const train = sample.texts.slice(0, testCase.trainSize);
      const heldOut = sample.texts.slice(testCase.trainSize, testCase.trainSize + testCase.testSize);
      const { vectorizer, matrix } = fitTfidf(train, testCase.options);
      expect(vectorizer.vocabulary.size).toBe(testCase.vocabularySize);
      const fit = fitLogisticRegression(matrix, sample.labels.subarray(0, testCase.trainSize), {
        C: testCase.C,
        tol: 1e-10,
        maxIter: 200,
        fitIntercept: true,
      });
      expect(fit.converged).toBe(true);
      expect(fit.intercept).toBeCloseTo(testCase.intercept, 4);
      const scores = vectorizer.transform(heldOut).multiply(fit.weights);
      let worst = 0;
      scores.forEach((z, i) => {
        worst = Math.max(worst, Math.abs(probability(z + fit.intercept) - testCase.probabilities[i]));
      });
      expect(worst).toBeLessThan(1e-4);
    });
  });
});
