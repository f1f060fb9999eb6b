import { createHash } from 'node:crypto';
import { z } from 'zod';
import { TermTable } from '../text/term-table.js';
import { ModelLoadError } from './errors.js';
import { analyzerSchema, weightingSchema } from './schemas.js';
import { type ModelMetadata, SentimentModel } from './sentiment-model.js';

/**
 * The model file: plain data, so loading runs no code (unlike pickle).
 *
 * ```
 * 0     "SENTIMNT"                      magic, 8 bytes
 * 8     u32 LE                          format version
 * 12    u32 LE                          header length H
 * 16    header                          UTF-8 JSON: settings, metadata, section table
 * ...   sections                        typed arrays, each at a multiple of 8
 * end   SHA-256 of everything before    32 bytes
 * ```
 * Sections are read in place (no parsing, no per-term strings): the vocabulary is its UTF-8 bytes
 * back to back plus each term's length, and loading builds one typed-array hash table over them.
 */
export const MAGIC = 'SENTIMNT';
/** Version 2 added `calibration` to the header; version 1 files (no calibration) still load. */
export const FORMAT_VERSION = 2;
const READABLE_VERSIONS = [1, 2];
export const FILE_EXTENSION = 'sntm';
const PREAMBLE = 16;
const DIGEST = 32;
const MAX_HEADER = 1 << 24;

const dtypes = {
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;
type Dtype = keyof typeof dtypes;

const sectionSchema = z.object({
  dtype: z.enum(['uint8', 'uint16', 'uint32', 'float32', 'float64']),
  offset: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
});

const headerSchema = z.object({
  kind: z.literal('serverless-sentiment/model'),
  analyzer: analyzerSchema,
  weighting: weightingSchema,
  intercept: z.number(),
  calibration: z
    .object({ method: z.literal('platt'), slope: z.number().positive(), intercept: z.number() })
    .strict()
    .nullable()
    .optional(),
  sections: z.object({
    terms: sectionSchema,
    termLengths: sectionSchema,
    weights: sectionSchema,
    idf: sectionSchema.optional(),
  }),
  metadata: z.record(z.string(), z.unknown()),
});
type Header = z.infer<typeof headerSchema>;

export interface EncodeOptions {
  /** Storage for weights and idf: float32 halves the file and keeps predictions within ~1e-6. */
  precision?: 'float32' | 'float64';
}

/** The precision a model's weights are held in: re-encoding with it changes no value. */
export function precisionOf(model: SentimentModel): 'float32' | 'float64' {
  return model.parameters.weights instanceof Float64Array ? 'float64' : 'float32';
}

/** Serializes a model to the artifact format. */
export function encodeModel(model: SentimentModel, options: EncodeOptions = {}): Uint8Array {
  const precision = options.precision ?? 'float32';
  const { analyzer, weighting, vocabulary, idf, weights, intercept, calibration } = model.parameters;
  const { bytes: terms, lengths: termLengths } = vocabulary.toConcatenated();
  // Term lengths, not offsets, in the narrowest type that holds them: a quarter of the size.
  const longest = termLengths.reduce((max, length) => Math.max(max, length), 0);
  const lengthType: Dtype = longest < 256 ? 'uint8' : longest < 65536 ? 'uint16' : 'uint32';
  const arrays: Array<[keyof Header['sections'], Dtype, ArrayLike<number> & { length: number }]> = [
    ['terms', 'uint8', terms],
    ['termLengths', lengthType, termLengths],
    ['weights', precision, weights],
  ];
  if (idf !== null) arrays.push(['idf', precision, idf]);

  let offset = 0;
  const sections: Record<string, z.infer<typeof sectionSchema>> = {};
  for (const [name, dtype, values] of arrays) {
    sections[name] = { dtype, offset, length: values.length };
    offset = align8(offset + values.length * dtypes[dtype].BYTES_PER_ELEMENT);
  }
  const header: Header = {
    kind: 'serverless-sentiment/model',
    analyzer: { ...analyzer, ngramRange: [analyzer.ngramRange[0], analyzer.ngramRange[1]] },
    weighting: { ...weighting },
    intercept,
    calibration: calibration ?? null,
    sections: sections as Header['sections'],
    metadata: model.metadata,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = align8(PREAMBLE + headerBytes.length);
  const total = dataStart + offset + DIGEST;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setUint32(12, headerBytes.length, true);
  out.set(headerBytes, PREAMBLE);
  for (const [name, dtype, values] of arrays) {
    const section = sections[name];
    const typed = new dtypes[dtype](out.buffer, dataStart + section.offset, values.length);
    typed.set(values);
  }
  out.set(sha256(out.subarray(0, total - DIGEST)), total - DIGEST);
  return out;
}

/** The SHA-256 of an artifact's content, as hex: its version identifier. */
export function modelVersion(bytes: Uint8Array): string {
  return Buffer.from(bytes.subarray(bytes.length - DIGEST)).toString('hex');
}

/**
 * Parses and verifies an artifact. Throws `ModelLoadError` naming the check that failed: magic,
 * version, truncation, checksum, header or sections. `source` names the file in messages.
 */
export function decodeModel(bytes: Uint8Array, source = 'model'): SentimentModel {
  const fail = (reason: ConstructorParameters<typeof ModelLoadError>[0], detail: string, cause?: unknown) =>
    new ModelLoadError(reason, `${source}: ${detail}`, { cause });
  if (bytes.length < PREAMBLE + DIGEST) {
    if (bytes.length >= 8 && !hasMagic(bytes))
      throw fail('bad-magic', 'not a serverless-sentiment model file');
    throw fail('truncated', `file is ${bytes.length} bytes, too short to be a model`);
  }
  if (!hasMagic(bytes)) throw fail('bad-magic', 'not a serverless-sentiment model file (wrong magic bytes)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (!READABLE_VERSIONS.includes(version)) {
    throw fail(
      'unsupported-version',
      `format version ${version}; this release reads versions ${READABLE_VERSIONS.join(' and ')}`,
    );
  }
  const headerLength = view.getUint32(12, true);
  if (headerLength > MAX_HEADER || PREAMBLE + headerLength + DIGEST > bytes.length) {
    throw fail('truncated', `header of ${headerLength} bytes does not fit in a ${bytes.length}-byte file`);
  }
  const expected = bytes.subarray(bytes.length - DIGEST);
  const actual = sha256(bytes.subarray(0, bytes.length - DIGEST));
  if (!timingSafeEqual(expected, actual)) {
    throw fail('checksum-mismatch', 'SHA-256 does not match the content (truncated or altered file)');
  }
  let header: Header;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(16, 16 + headerLength));
    const depth = nestingDepth(text);
    if (depth > MAX_HEADER_DEPTH)
      throw new Error(`the header nests ${depth} levels deep (at most ${MAX_HEADER_DEPTH})`);
    const json: unknown = JSON.parse(text);
    header = headerSchema.parse(json);
    if (version === 1 && header.calibration) throw new Error('format version 1 has no calibration');
  } catch (error) {
    throw fail('bad-header', 'header is not a valid model description', error);
  }
  const dataStart = align8(PREAMBLE + headerLength);
  const dataEnd = bytes.length - DIGEST;
  const section = <D extends Dtype>(
    name: string,
    spec: z.infer<typeof sectionSchema>,
    dtype: D | readonly D[],
  ) => {
    const allowed: readonly Dtype[] = Array.isArray(dtype) ? dtype : [dtype];
    if (!allowed.includes(spec.dtype)) throw fail('bad-section', `section ${name} has dtype ${spec.dtype}`);
    const Type = dtypes[spec.dtype];
    const start = dataStart + spec.offset;
    if (spec.offset % 8 !== 0 || start + spec.length * Type.BYTES_PER_ELEMENT > dataEnd) {
      throw fail('bad-section', `section ${name} lies outside the file`);
    }
    const absolute = bytes.byteOffset + start;
    if (absolute % Type.BYTES_PER_ELEMENT === 0)
      return new Type(bytes.buffer as ArrayBuffer, absolute, spec.length);
    return new Type(
      new Uint8Array(bytes.subarray(start, start + spec.length * Type.BYTES_PER_ELEMENT)).buffer,
    );
  };
  const { sections } = header;
  // Sections must not share bytes: one array read as two is a forged file.
  const ranges = Object.entries(sections)
    .filter((entry): entry is [string, z.infer<typeof sectionSchema>] => entry[1] !== undefined)
    .map(([name, spec]) => ({
      name,
      start: spec.offset,
      end: spec.offset + spec.length * dtypes[spec.dtype].BYTES_PER_ELEMENT,
    }))
    .sort((a, b) => a.start - b.start);
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i].start < ranges[i - 1].end)
      throw fail('bad-section', `sections ${ranges[i - 1].name} and ${ranges[i].name} overlap`);
  }
  const terms = section('terms', sections.terms, 'uint8') as Uint8Array;
  const termLengths = section('termLengths', sections.termLengths, ['uint8', 'uint16', 'uint32']) as
    | Uint8Array
    | Uint16Array
    | Uint32Array;
  const weights = section('weights', sections.weights, ['float32', 'float64']) as Float32Array | Float64Array;
  const idf = sections.idf
    ? (section('idf', sections.idf, ['float32', 'float64']) as Float32Array | Float64Array)
    : null;
  checkValues(weights, idf, header.intercept, header.calibration ?? null, (detail) =>
    fail('bad-values', detail),
  );
  let vocabulary: TermTable;
  try {
    vocabulary = TermTable.fromLengths(terms, termLengths);
  } catch (error) {
    throw fail('bad-section', `vocabulary is inconsistent: ${(error as Error).message}`, error);
  }
  try {
    return new SentimentModel(
      {
        analyzer: header.analyzer,
        weighting: header.weighting,
        vocabulary,
        idf,
        weights,
        intercept: header.intercept,
        calibration: header.calibration ?? null,
      },
      header.metadata as ModelMetadata,
    );
  } catch (error) {
    throw fail('bad-section', (error as Error).message, error);
  }
}

const MAX_HEADER_DEPTH = 32;

/** How deep a JSON text's arrays and objects nest (strings skipped), without parsing it. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** Beyond any trained model's range: a weight or intercept this large is a forgery or a bug. */
const MAX_MAGNITUDE = 1e6;

/** Numbers a trained model can hold: finite weights and intercept within bounds, idf ≥ 1 (scikit-learn's formula). */
function checkValues(
  weights: ArrayLike<number>,
  idf: ArrayLike<number> | null,
  intercept: number,
  calibration: { slope: number; intercept: number } | null,
  fail: (detail: string) => Error,
): void {
  if (!(Math.abs(intercept) <= MAX_MAGNITUDE))
    throw fail(`intercept ${intercept} is not a finite number within ±${MAX_MAGNITUDE}`);
  for (let j = 0; j < weights.length; j++) {
    if (!(Math.abs(weights[j]) <= MAX_MAGNITUDE))
      throw fail(`weight ${j} is ${weights[j]}, not a finite number within ±${MAX_MAGNITUDE}`);
  }
  if (idf !== null) {
    for (let j = 0; j < idf.length; j++) {
      if (!(idf[j] >= 1 && idf[j] <= MAX_MAGNITUDE)) throw fail(`idf ${j} is ${idf[j]}; idf is at least 1`);
    }
  }
  if (
    calibration &&
    !(Math.abs(calibration.slope) <= MAX_MAGNITUDE && Math.abs(calibration.intercept) <= MAX_MAGNITUDE)
  )
    throw fail('the calibration holds numbers out of range');
}

function hasMagic(bytes: Uint8Array): boolean {
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC.charCodeAt(i)) return false;
  return true;
}

function sha256(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes).digest();
}

function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
