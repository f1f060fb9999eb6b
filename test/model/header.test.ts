import { describe, expect, it } from 'vitest';
import { parseHeader } from '../../src/model/header.js';

const valid = () => ({
  kind: 'serverless-sentiment/model',
  analyzer: {
    lowercase: true,
    stripAccents: 'none',
    stopWords: 'none',
    ngramRange: [1, 2],
    stripHtml: false,
  },
  weighting: { binary: false, useIdf: true, smoothIdf: true, sublinearTf: false, norm: 'l2' },
  intercept: 0.5,
  sections: {
    terms: { dtype: 'uint8', offset: 0, length: 10 },
    termLengths: { dtype: 'uint8', offset: 16, length: 3 },
    weights: { dtype: 'float32', offset: 24, length: 3 },
  },
  metadata: { preset: 'x' },
});

describe('the model header check', () => {
  it('passes a valid header through, unknown top-level fields dropped', () => {
    const header = parseHeader({ ...valid(), extra: 1 });
    expect(header).toEqual(valid());
  });

  it.each<[string, (h: ReturnType<typeof valid> & Record<string, unknown>) => void, RegExp]>([
    ['a wrong kind', (h) => (h.kind = 'other'), /^kind: expected "serverless-sentiment\/model"/],
    [
      'an infinite intercept (1e400 in JSON)',
      (h) => (h.intercept = JSON.parse('1e400')),
      /^intercept: expected a finite number/,
    ],
    [
      'a fractional offset',
      (h) => (h.sections.weights.offset = 1.5),
      /^sections\.weights\.offset: expected a whole number from 0/,
    ],
    ['a negative length', (h) => (h.sections.terms.length = -1), /^sections\.terms\.length/],
    [
      'an unknown dtype',
      (h) => ((h.sections.weights as { dtype: string }).dtype = 'int64'),
      /^sections\.weights\.dtype/,
    ],
    [
      'no weights section',
      (h) => delete (h.sections as Record<string, unknown>).weights,
      /^sections\.weights: expected an object, got undefined/,
    ],
    [
      'three n-gram bounds',
      (h) => (h.analyzer.ngramRange = [1, 2, 3]),
      /^analyzer\.ngramRange: expected two whole numbers/,
    ],
    [
      'n-grams of 17',
      (h) => (h.analyzer.ngramRange = [1, 17]),
      /^analyzer\.ngramRange\.1: expected a whole number from 1 to 16/,
    ],
    [
      'a string for a boolean',
      (h) => ((h.weighting as Record<string, unknown>).useIdf = 'yes'),
      /^weighting\.useIdf: expected true or false, got string/,
    ],
    [
      'metadata as an array',
      (h) => ((h as Record<string, unknown>).metadata = []),
      /^metadata: expected an object, got an array/,
    ],
    ['a weight scale above 1', (h) => (h.weightScale = 2), /^weightScale: expected a number in \(0, 1\]/],
    [
      'an unknown calibration field',
      (h) => (h.calibration = { method: 'platt', slope: 1, intercept: 0, code: 'x' }),
      /^calibration\.code: expected no such field/,
    ],
    [
      'a calibration slope of 0',
      (h) => (h.calibration = { method: 'platt', slope: 0, intercept: 0 }),
      /^calibration\.slope: expected a number > 0/,
    ],
  ])('refuses %s, naming the field', (_, change, message) => {
    const header = valid() as ReturnType<typeof valid> & Record<string, unknown>;
    change(header);
    expect(() => parseHeader(header)).toThrow(message);
  });

  it('keeps a null calibration, a token pattern and optional sections', () => {
    const h = valid() as ReturnType<typeof valid> & Record<string, unknown>;
    h.calibration = null;
    (h.analyzer as Record<string, unknown>).tokenPattern = 'single-character';
    (h.sections as Record<string, unknown>).idfIndex = { dtype: 'uint16', offset: 40, length: 3 };
    const header = parseHeader(h);
    expect(header.calibration).toBeNull();
    expect(header.analyzer.tokenPattern).toBe('single-character');
    expect(header.sections.idfIndex).toEqual({ dtype: 'uint16', offset: 40, length: 3 });
    expect('idf' in header.sections).toBe(false);
  });
});
