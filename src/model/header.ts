import type { AnalyzerOptions } from '../text/analyzer.js';
import type { WeightingOptions } from './vectorizer.js';

/**
 * The model file's header, checked by hand: loading a model is on every cold start, and these few
 * dozen lines cost nothing to load where a schema library costs a third of a cold CLI start. Every
 * check names the field it refuses (`sections.weights.offset: expected a whole number >= 0`).
 */
export const DTYPES = ['uint8', 'uint16', 'uint32', 'int16', 'float32', 'float64'] as const;
export type Dtype = (typeof DTYPES)[number];

export interface SectionSpec {
  dtype: Dtype;
  offset: number;
  length: number;
}

export interface Header {
  kind: 'serverless-sentiment/model';
  analyzer: AnalyzerOptions;
  weighting: WeightingOptions;
  intercept: number;
  calibration?: { method: 'platt'; slope: number; intercept: number } | null;
  /** int16 weights are this many times their stored integers. */
  weightScale?: number;
  sections: {
    /** Version 3: the bytes of each term after the prefix it shares with the previous one. */
    terms: SectionSpec;
    /** Version 3: the length of those rests. Earlier versions: whole terms and their lengths. */
    termLengths: SectionSpec;
    /** Version 3: the length of the prefix each term shares with the previous one. */
    termPrefixes?: SectionSpec;
    weights: SectionSpec;
    idf?: SectionSpec;
    idfPalette?: SectionSpec;
    idfIndex?: SectionSpec;
  };
  metadata: Record<string, unknown>;
}

/** A value that is not what its field must be; the message starts with the field's path. */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
}

type Fields = Record<string, unknown>;

const fail = (path: string, expected: string, value: unknown): never => {
  const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  throw new ShapeError(`${path || '(top level)'}: expected ${expected}, got ${got}`);
};

export function object(value: unknown, path: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
  return value as Fields;
}

export function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, 'true or false', value);
  return value as boolean;
}

/** A finite number (JSON's 1e400 parses as Infinity). */
export function finite(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'a finite number', value);
  return value as number;
}

export function wholeNumber(
  value: unknown,
  path: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max)
    fail(path, `a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}`, value);
  return value as number;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (!allowed.includes(value as T)) fail(path, allowed.map((a) => JSON.stringify(a)).join(' or '), value);
  return value as T;
}

/** An analyzer's settings as they arrive from outside (a model file, a scikit-learn export). */
export function parseAnalyzer(value: unknown, path: string): AnalyzerOptions {
  const a = object(value, path);
  const range = a.ngramRange;
  if (!Array.isArray(range) || range.length !== 2) fail(`${path}.ngramRange`, 'two whole numbers', range);
  const analyzer: AnalyzerOptions = {
    lowercase: boolean(a.lowercase, `${path}.lowercase`),
    stripAccents: oneOf(a.stripAccents, ['none', 'ascii', 'unicode'] as const, `${path}.stripAccents`),
    stopWords: oneOf(a.stopWords, ['none', 'english'] as const, `${path}.stopWords`),
    ngramRange: [
      wholeNumber((range as unknown[])[0], `${path}.ngramRange.0`, 1, 16),
      wholeNumber((range as unknown[])[1], `${path}.ngramRange.1`, 1, 16),
    ],
    stripHtml: boolean(a.stripHtml, `${path}.stripHtml`),
  };
  if (a.tokenPattern !== undefined)
    analyzer.tokenPattern = oneOf(
      a.tokenPattern,
      ['default', 'single-character'] as const,
      `${path}.tokenPattern`,
    );
  return analyzer;
}

/** How counts become features, as it arrives from outside. */
export function parseWeighting(value: unknown, path: string): WeightingOptions {
  const w = object(value, path);
  return {
    binary: boolean(w.binary, `${path}.binary`),
    useIdf: boolean(w.useIdf, `${path}.useIdf`),
    smoothIdf: boolean(w.smoothIdf, `${path}.smoothIdf`),
    sublinearTf: boolean(w.sublinearTf, `${path}.sublinearTf`),
    norm: oneOf(w.norm, ['l2', 'l1', 'none'] as const, `${path}.norm`),
  };
}

function section(value: unknown, path: string): SectionSpec {
  const s = object(value, path);
  return {
    dtype: oneOf(s.dtype, DTYPES, `${path}.dtype`),
    offset: wholeNumber(s.offset, `${path}.offset`, 0),
    length: wholeNumber(s.length, `${path}.length`, 0),
  };
}

const optionalSection = (value: unknown, path: string) =>
  value === undefined ? undefined : section(value, path);

function calibration(value: unknown): Header['calibration'] {
  if (value === undefined || value === null) return value;
  const c = object(value, 'calibration');
  for (const key of Object.keys(c))
    if (!['method', 'slope', 'intercept'].includes(key)) fail(`calibration.${key}`, 'no such field', c[key]);
  const slope = finite(c.slope, 'calibration.slope');
  if (!(slope > 0)) fail('calibration.slope', 'a number > 0', slope);
  return {
    method: oneOf(c.method, ['platt'], 'calibration.method'),
    slope,
    intercept: finite(c.intercept, 'calibration.intercept'),
  };
}

/** The header of a model file, from its parsed JSON; throws `ShapeError` naming the first bad field. */
export function parseHeader(json: unknown): Header {
  const h = object(json, '');
  const s = object(h.sections, 'sections');
  const header: Header = {
    kind: oneOf(h.kind, ['serverless-sentiment/model'], 'kind'),
    analyzer: parseAnalyzer(h.analyzer, 'analyzer'),
    weighting: parseWeighting(h.weighting, 'weighting'),
    intercept: finite(h.intercept, 'intercept'),
    sections: {
      terms: section(s.terms, 'sections.terms'),
      termLengths: section(s.termLengths, 'sections.termLengths'),
      termPrefixes: optionalSection(s.termPrefixes, 'sections.termPrefixes'),
      weights: section(s.weights, 'sections.weights'),
      idf: optionalSection(s.idf, 'sections.idf'),
      idfPalette: optionalSection(s.idfPalette, 'sections.idfPalette'),
      idfIndex: optionalSection(s.idfIndex, 'sections.idfIndex'),
    },
    metadata: object(h.metadata, 'metadata'),
  };
  for (const key of Object.keys(header.sections) as Array<keyof Header['sections']>)
    if (header.sections[key] === undefined) delete header.sections[key];
  const cal = calibration(h.calibration);
  if (cal !== undefined) header.calibration = cal;
  if (h.weightScale !== undefined) {
    const scale = finite(h.weightScale, 'weightScale');
    if (!(scale > 0 && scale <= 1)) fail('weightScale', 'a number in (0, 1]', scale);
    header.weightScale = scale;
  }
  return header;
}
