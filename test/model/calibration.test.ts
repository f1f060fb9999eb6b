import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from '../../src/model/artifact.js';
import { fitPlatt } from '../../src/model/calibration.js';
import { SentimentModel, sigmoid } from '../../src/model/sentiment-model.js';
import { CalibrationError, calibrateModel } from '../../src/training/calibrate.js';
import { seededRandom } from '../../src/training/split.js';
import { tinyModel } from './helpers.js';

/** Scores z ~ N(0, 2²)-ish and labels drawn from σ(a z + b). */
function synthetic(n: number, a: number, b: number, seed = 1) {
  const random = seededRandom(seed);
  const scores = new Float64Array(n);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    scores[i] = (random() + random() + random() - 1.5) * 4;
    labels[i] = random() < sigmoid(a * scores[i] + b) ? 1 : 0;
  }
  return { scores, labels };
}

describe('Platt scaling', () => {
  it('recovers the slope and intercept that generated the labels', () => {
    const { scores, labels } = synthetic(20_000, 0.6, -0.8);
    const fit = fitPlatt(scores, labels);
    expect(fit.slope).toBeCloseTo(0.6, 1);
    expect(fit.intercept).toBeCloseTo(-0.8, 1);
  });

  it('stays finite on separable data (the smoothed targets)', () => {
    const fit = fitPlatt([-2, -1, 1, 2], [0, 0, 1, 1]);
    expect(Number.isFinite(fit.slope) && fit.slope > 0).toBe(true);
    expect(Number.isFinite(fit.intercept)).toBe(true);
  });

  it('refuses one class and non-finite scores', () => {
    expect(() => fitPlatt([1, 2], [1, 1])).toThrow(/both classes/);
    expect(() => fitPlatt([1, Number.NaN], [0, 1])).toThrow(/not finite/);
  });
});

describe('calibrateModel', () => {
  const model = tinyModel();
  const sample = (n: number, labels: (i: number) => number) => ({
    texts: Array.from({ length: n }, (_, i) => (labels(i) ? `great film ${i}` : `awful film ${i}`)),
    labels: Uint8Array.from({ length: n }, (_, i) => labels(i)),
    source: 'sample.csv',
    skipped: 0,
  });

  it('refuses fewer than 50 rows and a sample with one class, by name', () => {
    expect(() =>
      calibrateModel(
        model,
        sample(49, (i) => i % 2),
        'v',
        'now',
      ),
    ).toThrow(CalibrationError);
    expect(() =>
      calibrateModel(
        model,
        sample(49, (i) => i % 2),
        'v',
        'now',
      ),
    ).toThrow(/at least 50/);
    expect(() =>
      calibrateModel(
        model,
        sample(60, () => 1),
        'v',
        'now',
      ),
    ).toThrow(/every row is positive/);
  });

  it('moves the threshold: in a mostly negative domain, "great film" is no longer a sure positive', () => {
    // "great film" is positive 2 times in 5 here, "a film" 1 time in 10: ranked right, but far less positive.
    const s = sample(200, (i) => (i % 2 ? (i % 5 < 2 ? 1 : 0) : i % 20 === 0 ? 1 : 0));
    s.texts = s.texts.map((_, i) => (i % 2 ? 'great film' : 'a film'));
    const { model: calibrated, summary } = calibrateModel(model, s, 'base', '2026-01-01T00:00:00.000Z');
    expect(summary.after.logLoss).toBeLessThan(summary.before.logLoss);
    expect(calibrated.predict('great film').probabilityPositive).toBeLessThan(
      model.predict('great film').probabilityPositive,
    );
    expect(summary.threshold).toBeCloseTo(-summary.intercept / summary.slope, 12);
    expect(calibrated.metadata.calibration).toMatchObject({ method: 'platt', baseVersion: 'base' });
  });

  it('leaves weights untouched and survives the model file, float64 weights exactly', () => {
    const s = sample(100, (i) => i % 2);
    const { model: calibrated } = calibrateModel(model, s, 'base', 'now');
    expect(calibrated.parameters.weights).toBe(model.parameters.weights);
    const decoded = decodeModel(encodeModel(calibrated, { precision: 'float64' }));
    expect(decoded.parameters.weights).toEqual(model.parameters.weights);
    expect(decoded.parameters.calibration).toEqual(calibrated.parameters.calibration);
    for (const text of ['great film', 'awful', 'a film of sorts']) {
      expect(decoded.predict(text).probabilityPositive).toBeCloseTo(
        calibrated.predict(text).probabilityPositive,
        12,
      );
      const z = calibrated.rawScore(text);
      const c = calibrated.parameters.calibration!;
      expect(calibrated.predict(text).probabilityPositive).toBeCloseTo(
        sigmoid(c.slope * z + c.intercept),
        12,
      );
    }
  });

  it('keeps explanations summing to the calibrated log-odds', () => {
    const s = sample(100, (i) => (i % 3 === 0 ? 1 : 0));
    const { model: calibrated } = calibrateModel(model, s, 'base', 'now');
    const e = calibrated.explain('great acting, awful plot', 1000);
    const sum = [...e.positive, ...e.negative].reduce((t, c) => t + c.contribution, e.intercept);
    const p = e.prediction.probabilityPositive;
    expect(sum).toBeCloseTo(Math.log(p / (1 - p)), 1);
  });

  it('does not change an uncalibrated model', () => {
    expect(new SentimentModel(model.parameters).predict('great film')).toEqual(model.predict('great film'));
  });
});
