import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, FORMAT_VERSION, modelVersion } from '../../src/model/artifact.js';
import { ModelLoadError } from '../../src/model/errors.js';
import { SentimentModel } from '../../src/model/sentiment-model.js';
import { TermTable } from '../../src/text/term-table.js';
import { tinyModel } from './helpers.js';

const texts = ['great film', 'awful film', 'a wonderful, moving story', '', 'terrible boring plot'];

function refusal(bytes: Uint8Array): ModelLoadError {
  try {
    decodeModel(bytes, 'model.sntm');
  } catch (error) {
    if (error instanceof ModelLoadError) return error;
    throw error;
  }
  throw new Error('the artifact was accepted');
}

describe('model artifact', () => {
  const model = tinyModel();
  const bytes = encodeModel(model);

  it('round-trips: the loaded model predicts what the saved one did (float32 within 1e-6)', () => {
    const loaded = decodeModel(bytes);
    for (const text of texts) {
      expect(loaded.predict(text).probabilityPositive).toBeCloseTo(
        model.predict(text).probabilityPositive,
        6,
      );
      expect(loaded.predict(text).sentiment).toBe(model.predict(text).sentiment);
    }
    expect(loaded.metadata).toEqual({ preset: 'tiny' });
    expect(loaded.parameters.vocabulary.terms()).toEqual(model.parameters.vocabulary.terms());
  });

  it('round-trips exactly at float64 precision', () => {
    const loaded = decodeModel(encodeModel(model, { precision: 'float64' }));
    for (const text of texts) expect(loaded.predict(text)).toEqual(model.predict(text));
  });

  it('answers the same with a lazy vocabulary index, which a load does not build', () => {
    const lazy = decodeModel(bytes, 'model.sntm', { vocabularyIndex: 'lazy' });
    expect(lazy.parameters.vocabulary.indexed).toBe(false);
    expect(decodeModel(bytes).parameters.vocabulary.indexed).toBe(true);
    const eager = decodeModel(bytes);
    for (const text of texts) expect(lazy.explain(text, 5)).toEqual(eager.explain(text, 5));
  });

  it('predicts from int16 weights and an idf palette as stored, expanding them only when read', () => {
    const loaded = decodeModel(encodeModel(model, { precision: 'int16' }));
    const expandedYet = (key: 'weights' | 'idf') =>
      Object.getOwnPropertyDescriptor(loaded.parameters, key)?.get === undefined;
    const answers = texts.map((text) => [loaded.predict(text), loaded.explain(text, 3)]);
    expect(expandedYet('weights')).toBe(false);
    expect(expandedYet('idf')).toBe(false);
    // The same answers, bit for bit, as a model given the expanded arrays.
    const expanded = new SentimentModel({ ...loaded.parameters }, loaded.metadata);
    expect(expandedYet('weights')).toBe(true);
    expect(expandedYet('idf')).toBe(true);
    expect(texts.map((text) => [expanded.predict(text), expanded.explain(text, 3)])).toEqual(answers);
    expect(loaded.parameters.weights).toBeInstanceOf(Float32Array);
    expect(loaded.parameters.weights).toBe(expanded.parameters.weights);
    // The idf the file's palette gives, term by term (the tiny model's own is float64).
    expect(Array.from(loaded.parameters.idf!)).toEqual(Array.from(model.parameters.idf!, Math.fround));
    for (let j = 0; j < model.parameters.weights.length; j++)
      expect(Math.abs(loaded.parameters.weights[j] - model.parameters.weights[j])).toBeLessThan(1e-3);
  });

  it('loads a vocabulary that is not in sorted order (through the hashing path)', () => {
    const terms = model.parameters.vocabulary.terms();
    const order = terms.map((_, id) => id).reverse();
    const reversed = new SentimentModel(
      {
        ...model.parameters,
        vocabulary: TermTable.fromTerms(order.map((id) => terms[id])),
        idf: Float64Array.from(order, (id) => model.parameters.idf![id]),
        weights: Float64Array.from(order, (id) => model.parameters.weights[id]),
      },
      model.metadata,
    );
    for (const vocabularyIndex of ['eager', 'lazy'] as const) {
      const loaded = decodeModel(encodeModel(reversed, { precision: 'float64' }), 'model.sntm', {
        vocabularyIndex,
      });
      expect(loaded.parameters.vocabulary.terms()).toEqual(order.map((id) => terms[id]));
      for (const text of texts) expect(loaded.predict(text)).toEqual(reversed.predict(text));
      for (const text of texts)
        expect(loaded.predict(text).probabilityPositive).toBeCloseTo(
          model.predict(text).probabilityPositive,
          12,
        );
    }
  });

  it('loads terms sharing more than the 255 bytes a front-coded prefix holds, sorted or not', () => {
    const long = 'x'.repeat(280);
    for (const terms of [
      [`${long}a`, `${long}b`, 'y'],
      [`${long}b`, `${long}a`, 'y'],
      ['ab', 'a', 'c'],
    ]) {
      const table = TermTable.fromTerms(terms);
      const weights = new Float64Array([1, -1, 0.5]);
      const m = new SentimentModel({
        ...model.parameters,
        vocabulary: table,
        idf: new Float64Array([1, 2, 3]),
        weights,
      });
      for (const vocabularyIndex of ['eager', 'lazy'] as const) {
        const loaded = decodeModel(encodeModel(m, { precision: 'float64' }), 'model.sntm', {
          vocabularyIndex,
        });
        expect(loaded.parameters.vocabulary.terms()).toEqual(terms);
        const bytes = new TextEncoder().encode(terms.join(' '));
        let at = 0;
        terms.forEach((term, id) => {
          const end = at + new TextEncoder().encode(term).length;
          expect(loaded.parameters.vocabulary.lookup(bytes, at, end)).toBe(id);
          at = end + 1;
        });
      }
    }
  });

  it('loads from an unaligned buffer', () => {
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(decodeModel(shifted.subarray(3)).predict('great').sentiment).toBe('positive');
  });

  it('is byte-identical for identical models, and its version is its SHA-256', () => {
    expect(Buffer.from(encodeModel(tinyModel())).equals(Buffer.from(bytes))).toBe(true);
    expect(modelVersion(bytes)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a file that is not a model', () => {
    expect(refusal(new TextEncoder().encode('{"not": "a model, just some JSON text here"}')).reason).toBe(
      'bad-magic',
    );
  });

  it('refuses an unknown format version', () => {
    const copy = bytes.slice();
    new DataView(copy.buffer).setUint32(8, FORMAT_VERSION + 1, true);
    const error = refusal(copy);
    expect(error.reason).toBe('unsupported-version');
    expect(error.message).toContain('model.sntm');
  });

  it('refuses every truncation', () => {
    for (const length of [0, 7, 16, 40, bytes.length >> 1, bytes.length - 1]) {
      expect(['truncated', 'checksum-mismatch']).toContain(refusal(bytes.subarray(0, length)).reason);
    }
  });

  it('refuses a flipped byte anywhere by its checksum', () => {
    for (const at of [20, bytes.length >> 1, bytes.length - 40, bytes.length - 1]) {
      const copy = bytes.slice();
      copy[at] ^= 0x5a;
      expect(refusal(copy).reason).toBe('checksum-mismatch');
    }
  });
});
