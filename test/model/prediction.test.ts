import { describe, expect, it } from 'vitest';
import { DEFAULT_MIN_COVERAGE, toResult } from '../../src/model/prediction.js';
import { tinyModel } from './helpers.js';

describe('the prediction contract', () => {
  const model = tinyModel();

  it('gives coverage as the share of the n-grams (with repeats) that the model knows', () => {
    // Unigrams great, zzqx; bigram "great zzqx" unknown: 1 of 3 known.
    const p = model.predict('great zzqx');
    expect(p.knownNgrams).toBe(1);
    expect(p.coverage).toBeCloseTo(1 / 3, 12);
    expect(model.predict('great film').coverage).toBeGreaterThan(model.predict('great zzqx').coverage);
    expect(model.predict('').coverage).toBe(0);
  });

  it('always says whether it abstained: when nothing is known or coverage is under the minimum', () => {
    const policy = { minCoverage: 0.5, abstain: false };
    expect(toResult(model.predict('great film'), policy).abstained).toBe(false);
    expect(toResult(model.predict('great zzqx'), policy).abstained).toBe(true);
    expect(toResult(model.predict('zzqx vvbn'), { minCoverage: 0, abstain: false })).toMatchObject({
      abstained: true,
      priorOnly: true,
    });
    expect(DEFAULT_MIN_COVERAGE).toBeGreaterThan(0);
  });

  it('keeps positive/negative when abstaining is off, and says "unknown" only when it is on', () => {
    const prediction = model.predict('zzqx vvbn');
    expect(toResult(prediction, { minCoverage: 0.25, abstain: false }).sentiment).toMatch(
      /^(positive|negative)$/,
    );
    expect(toResult(prediction, { minCoverage: 0.25, abstain: true }).sentiment).toBe('unknown');
    expect(toResult(model.predict('great film'), { minCoverage: 0.25, abstain: true }).sentiment).toBe(
      'positive',
    );
  });

  it('carries exactly the fields every surface reports', () => {
    expect(Object.keys(toResult(model.predict('great film'))).sort()).toEqual(
      ['abstained', 'confidence', 'coverage', 'priorOnly', 'probabilityPositive', 'sentiment'].sort(),
    );
  });
});
