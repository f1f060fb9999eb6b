import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, precisionOf } from '../../src/model/artifact.js';
import { fitSentimentModel } from '../../src/model/fit.js';
import { SentimentModel } from '../../src/model/sentiment-model.js';
import { chooseWeightStorage } from '../../src/training/weights.js';
import { TINY_LABELS, TINY_OPTIONS, TINY_TEXTS, tinyModel } from '../model/helpers.js';

describe('choosing int16 weights only when they keep the answers', () => {
  it('takes int16 for a model whose answers it keeps, and the file then holds exactly that model', () => {
    const model = tinyModel();
    const storage = chooseWeightStorage(model, TINY_TEXTS);
    expect(storage.precision).toBe('int16');
    expect(storage.check.agreement).toBe(1);
    expect(storage.check.maxProbabilityChange).toBeLessThanOrEqual(1e-3);
    const bytes = encodeModel(storage.model, { precision: 'int16' });
    const loaded = decodeModel(bytes);
    // The weights come back exactly (int16 × a power of two); only idf is float32 in the file.
    expect(Array.from(loaded.parameters.weights)).toEqual(Array.from(storage.model.parameters.weights));
    for (const text of TINY_TEXTS)
      expect(loaded.predict(text).probabilityPositive).toBeCloseTo(
        storage.model.predict(text).probabilityPositive,
        9,
      );
    // Re-encoding what was loaded changes no answer: the precision travels with the model.
    expect(precisionOf(loaded)).toBe('int16');
    const again = decodeModel(encodeModel(loaded, { precision: precisionOf(loaded) }));
    for (const text of TINY_TEXTS) expect(again.predict(text)).toEqual(loaded.predict(text));
  });

  it('keeps float32 when int16 would change answers (one huge weight makes the scale coarse)', () => {
    const base = tinyModel();
    const weights = Float64Array.from(base.parameters.weights);
    weights[0] = 100_000;
    const fragile = new SentimentModel({ ...base.parameters, weights, intercept: 0 }, {});
    const storage = chooseWeightStorage(fragile, TINY_TEXTS);
    expect(storage.precision).toBe('float32');
    expect(storage.model).toBe(fragile);
    expect(storage.check.maxProbabilityChange).toBeGreaterThan(1e-3);
  });

  it("checks on the fit's own feature rows exactly as on the texts (NB-LR weights folded in)", () => {
    const fit = fitSentimentModel(TINY_TEXTS, TINY_LABELS, { ...TINY_OPTIONS, naiveBayesAlpha: 1 });
    const weights = Float64Array.from(fit.model.parameters.weights);
    weights[0] = 100_000; // coarse enough that the check has something to measure
    const fragile = new SentimentModel({ ...fit.model.parameters, weights }, {});
    const onRows = chooseWeightStorage(fragile, fit.features);
    const onTexts = chooseWeightStorage(fragile, TINY_TEXTS);
    expect(onRows.check.texts).toBe(TINY_TEXTS.length);
    expect(onRows.check.maxProbabilityChange).toBeGreaterThan(0);
    expect(onRows.check.maxProbabilityChange).toBeCloseTo(onTexts.check.maxProbabilityChange, 12);
    expect(onRows.check.agreement).toBe(onTexts.check.agreement);
    expect(onRows.precision).toBe(onTexts.precision);
  });

  it('keeps float32 when there is nothing to check on', () => {
    expect(chooseWeightStorage(tinyModel(), []).precision).toBe('float32');
  });
});
