import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calibration, computeMetrics, curves, rocAuc } from '../../src/training/metrics.js';

interface Case {
  name: string;
  labels: number[];
  probabilities: number[];
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  rocAuc: number;
  logLoss: number;
  calibration: { fractionPositive: number[]; meanPredicted: number[]; counts: number[] };
  roc: { fpr: number[]; tpr: number[] };
  precisionRecall: { recall: number[]; precision: number[] };
}

/** scikit-learn 1.2.1's answers on seeded cases (tools/gen-metrics-fixtures.py). */
const fixtures: { sklearn: string; cases: Case[] } = JSON.parse(
  readFileSync(new URL('../fixtures/sklearn-metrics.json', import.meta.url), 'utf8'),
);

describe(`metrics agree with scikit-learn ${fixtures.sklearn}`, () => {
  for (const c of fixtures.cases) {
    describe(c.name, () => {
      const metrics = computeMetrics(c.labels, c.probabilities);

      it('accuracy and precision_recall_fscore_support (binary, threshold 0.5)', () => {
        expect(metrics.accuracy).toBeCloseTo(c.accuracy, 12);
        expect(metrics.precision).toBeCloseTo(c.precision, 12);
        expect(metrics.recall).toBeCloseTo(c.recall, 12);
        expect(metrics.f1).toBeCloseTo(c.f1, 12);
      });

      it('roc_auc_score and log_loss', () => {
        expect(rocAuc(c.labels, c.probabilities)).toBeCloseTo(c.rocAuc, 12);
        expect(metrics.rocAuc).toBeCloseTo(c.rocAuc, 12);
        expect(metrics.logLoss).toBeCloseTo(c.logLoss, 12);
      });

      it('calibration_curve (10 uniform bins, edges as numpy places them)', () => {
        const bins = calibration(c.labels, c.probabilities);
        expect(bins.map((b) => b.count)).toEqual(c.calibration.counts);
        const filled = bins.filter((b) => b.count > 0);
        expect(filled.map((b) => b.fractionPositive)).toEqual(
          c.calibration.fractionPositive.map((x) => expect.closeTo(x, 12)),
        );
        expect(filled.map((b) => b.meanPredicted)).toEqual(
          c.calibration.meanPredicted.map((x) => expect.closeTo(x, 12)),
        );
      });

      it('roc_curve (every threshold) and precision_recall_curve', () => {
        const { roc, precisionRecall } = curves(c.labels, c.probabilities);
        expect(roc.map((p) => [p.x, p.y])).toEqual(
          c.roc.fpr.map((x, i) => [expect.closeTo(x, 12), expect.closeTo(c.roc.tpr[i], 12)]),
        );
        const ours = precisionRecall;
        expect(ours.map((p) => [p.x, p.y])).toEqual(
          c.precisionRecall.recall.map((r, i) => [
            expect.closeTo(r, 12),
            expect.closeTo(c.precisionRecall.precision[i], 12),
          ]),
        );
      });
    });
  }

  it('has cases with ties on bin edges and with certain answers (the edges of each metric)', () => {
    const edges = fixtures.cases.find((c) => c.name === 'ties on bin edges');
    expect(edges?.probabilities.filter((p) => p === 0.3).length).toBeGreaterThan(0);
    const certain = fixtures.cases.find((c) => c.name === 'zeros and ones');
    expect(certain?.probabilities).toContain(0);
  });
});
