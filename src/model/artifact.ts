import { createHash } from 'node:crypto';
import { expandFrontCoded, FrontCodedTerms } from '../text/front-coded.js';
import { lengthsOf, TermTable } from '../text/term-table.js';
import { ModelLoadError } from './errors.js';
import { type Dtype, type Header, parseHeader, type SectionSpec } from './header.js';
import {
  type CompactValues,
  type ModelMetadata,
  type ModelParameters,
  SentimentModel,
} from './sentiment-model.js';

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
 * Sections are typed arrays (no parsing, no per-term strings). Since version 3 the vocabulary is
 * front-coded: terms are stored in id order (sorted, as scikit-learn numbers them) as the length of
 * the prefix each shares with the one before, the length of the rest, and the rests' UTF-8 bytes
 * back to back; loading rebuilds the bytes in one pass and indexes them with one typed-array hash
 * table. Terms in strictly ascending order cannot repeat, so they are placed without comparing bytes,
 * and the index can wait until lookups would pay for it (`DecodeOptions`); other orders are checked
 * for duplicates term by term. idf is a palette of its distinct values and an index per term (idf takes a few thousand
 * values: it is a function of document frequency). Weights are float64, float32, or int16 with one
 * scale (`weightScale`) for models trained here whose answers it keeps (see `train`).
 */
export const MAGIC = 'SENTIMNT';
/**
 * Version 3: front-coded vocabulary, idf palette, int16 weights. Version 2 added `calibration` to the
 * header. Versions 1 and 2 still load.
 */
export const FORMAT_VERSION = 3;
const READABLE_VERSIONS = [1, 2, 3];
export const FILE_EXTENSION = 'sntm';
const PREAMBLE = 16;
const DIGEST = 32;
const MAX_HEADER = 1 << 24;

const dtypes = {
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  int16: Int16Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

export interface EncodeOptions {
  /**
   * Storage for weights (and idf): float32 halves the file and keeps predictions within ~1e-6;
   * int16 (weights only, idf stays float32) halves the weights again, for models whose answers it
   * keeps (`quantizeWeights`).
   */
  precision?: 'float32' | 'float64' | 'int16';
}

/** int16 weights and their scale: each weight is within scale / 2 of its stored integer times scale. */
export function quantizeWeights(weights: ArrayLike<number>): { values: Int16Array; scale: number } {
  let largest = 0;
  for (let j = 0; j < weights.length; j++) largest = Math.max(largest, Math.abs(weights[j]));
  // A power of two: stored integer × scale is exact in float32, so decoding is lossless after this.
  const scale = largest === 0 ? 2 ** -20 : 2 ** Math.ceil(Math.log2(largest / 32767));
  const values = new Int16Array(weights.length);
  for (let j = 0; j < weights.length; j++) values[j] = Math.round(weights[j] / scale);
  return { values, scale };
}

/** The weights int16 storage gives back. */
export function dequantizeWeights(values: Int16Array, scale: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let j = 0; j < values.length; j++) out[j] = values[j] * scale;
  return out;
}

/** The precision a model's weights are held in: re-encoding with it changes no value. */
export function precisionOf(model: SentimentModel): 'float32' | 'float64' | 'int16' {
  if (model.parameters.weights instanceof Float64Array) return 'float64';
  return model.metadata.weightPrecision === 'int16' ? 'int16' : 'float32';
}

/** Serializes a model to the artifact format. */
export function encodeModel(model: SentimentModel, options: EncodeOptions = {}): Uint8Array {
  const precision = options.precision ?? 'float32';
  const { analyzer, weighting, vocabulary, idf, weights, intercept, calibration } = model.parameters;
  const { prefixes, suffixLengths, suffixes } = frontCode(vocabulary);
  const floats: Dtype = precision === 'float64' ? 'float64' : 'float32';
  const arrays: Array<[keyof Header['sections'], Dtype, ArrayLike<number> & { length: number }]> = [
    ['terms', 'uint8', suffixes],
    ['termLengths', narrowest(suffixLengths), suffixLengths],
    ['termPrefixes', 'uint8', prefixes],
  ];
  let weightScale: number | undefined;
  if (precision === 'int16') {
    const quantized = quantizeWeights(weights);
    weightScale = quantized.scale;
    arrays.push(['weights', 'int16', quantized.values]);
  } else arrays.push(['weights', floats, weights]);
  if (idf !== null) {
    const palette = paletteOf(idf);
    if (palette) {
      arrays.push(
        ['idfPalette', floats, palette.values],
        ['idfIndex', narrowest(palette.index), palette.index],
      );
    } else arrays.push(['idf', floats, idf]);
  }

  let offset = 0;
  const sections: Record<string, SectionSpec> = {};
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
    ...(weightScale === undefined ? {} : { weightScale }),
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

/** The narrowest unsigned type that holds every value. */
function narrowest(values: ArrayLike<number>): Dtype {
  let largest = 0;
  for (let i = 0; i < values.length; i++) largest = Math.max(largest, values[i]);
  return largest < 256 ? 'uint8' : largest < 65536 ? 'uint16' : 'uint32';
}

/** Each term as (prefix shared with the previous term, at most 255) + the rest's bytes. */
function frontCode(vocabulary: TermTable) {
  const { bytes, lengths } = vocabulary.toConcatenated();
  const count = lengths.length;
  const prefixes = new Uint8Array(count);
  const suffixLengths = new Uint32Array(count);
  const suffixes = new Uint8Array(bytes.length);
  let written = 0;
  let previous = 0;
  let start = 0;
  for (let id = 0; id < count; id++) {
    const length = lengths[id];
    let shared = 0;
    const limit = Math.min(length, lengths[id - 1] ?? 0, 255);
    while (shared < limit && bytes[start + shared] === bytes[previous + shared]) shared++;
    prefixes[id] = shared;
    suffixLengths[id] = length - shared;
    // A loop, not set(subarray()): most suffixes are a few bytes, and a view per term costs more.
    for (let k = start + shared; k < start + length; k++) suffixes[written++] = bytes[k];
    previous = start;
    start += length;
  }
  return { prefixes, suffixLengths, suffixes: suffixes.subarray(0, written) };
}

/** idf as its distinct values and an index per term, when there are at most 65,536 of them. */
function paletteOf(idf: Float32Array | Float64Array): { values: number[]; index: Uint32Array } | null {
  const positions = new Map<number, number>();
  const index = new Uint32Array(idf.length);
  for (let j = 0; j < idf.length; j++) {
    let at = positions.get(idf[j]);
    if (at === undefined) {
      if (positions.size === 65536) return null;
      at = positions.size;
      positions.set(idf[j], at);
    }
    index[j] = at;
  }
  return { values: [...positions.keys()], index };
}

/** The SHA-256 of an artifact's content, as hex: its version identifier. */
export function modelVersion(bytes: Uint8Array): string {
  return Buffer.from(bytes.subarray(bytes.length - DIGEST)).toString('hex');
}

export interface DecodeOptions {
  /**
   * When the vocabulary's hash index is built. `eager` (the default): while loading, so every lookup
   * is a hash probe from the first. `lazy`: lookups are binary searches over the sorted terms until
   * enough of them were made to pay for the index (a quarter of the vocabulary's size), which spares
   * a process that predicts a few reviews and exits most of its load. Files whose terms are not
   * sorted are always indexed while loading.
   */
  vocabularyIndex?: 'eager' | 'lazy';
}

/**
 * Parses and verifies an artifact. Throws `ModelLoadError` naming the check that failed: magic,
 * version, truncation, checksum, header or sections. `source` names the file in messages.
 */
export function decodeModel(
  bytes: Uint8Array,
  source = 'model',
  options: DecodeOptions = {},
): SentimentModel {
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
    header = parseHeader(json);
    if (version === 1 && header.calibration) throw new Error('format version 1 has no calibration');
  } catch (error) {
    throw fail('bad-header', 'header is not a valid model description', error);
  }
  const dataStart = align8(PREAMBLE + headerLength);
  const dataEnd = bytes.length - DIGEST;
  const section = <D extends Dtype>(name: string, spec: SectionSpec, dtype: D | readonly D[]) => {
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
    .filter((entry): entry is [string, SectionSpec] => entry[1] !== undefined)
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
  const v3 = version >= 3;
  for (const name of ['termPrefixes', 'idfPalette', 'idfIndex'] as const)
    if (!v3 && sections[name]) throw fail('bad-section', `a version ${version} file has no ${name} section`);
  if (v3 && !sections.termPrefixes)
    throw fail('bad-section', 'a version 3 file needs a termPrefixes section');
  const terms = section('terms', sections.terms, 'uint8') as Uint8Array;
  const termLengths = section('termLengths', sections.termLengths, ['uint8', 'uint16', 'uint32']) as
    | Uint8Array
    | Uint16Array
    | Uint32Array;
  const stored = section(
    'weights',
    sections.weights,
    v3 ? ['float32', 'float64', 'int16'] : ['float32', 'float64'],
  );
  // int16 weights and an idf palette stay as stored: the model predicts from them, and its
  // parameters expand them when read (`CompactValues`).
  const compact: CompactValues = {};
  let weights: Float32Array | Float64Array | null = null;
  // Values whose bounds hold by construction are not checked one by one: int16 weights times a
  // weightScale in (0, 1] (checked with the header), idf drawn from a checked palette.
  let weightsToCheck: Float32Array | Float64Array | null = null;
  let idfToCheck: ArrayLike<number> | null = null;
  if (stored instanceof Int16Array) {
    if (header.weightScale === undefined) throw fail('bad-header', 'int16 weights need a weightScale');
    compact.weights = { values: stored, scale: header.weightScale };
  } else weights = weightsToCheck = stored as Float32Array | Float64Array;
  let idf: Float32Array | Float64Array | null = null;
  if (sections.idf)
    idf = idfToCheck = section('idf', sections.idf, ['float32', 'float64']) as Float32Array | Float64Array;
  else if (sections.idfPalette || sections.idfIndex) {
    if (!sections.idfPalette || !sections.idfIndex)
      throw fail('bad-section', 'an idf palette needs both idfPalette and idfIndex');
    const palette = section('idfPalette', sections.idfPalette, ['float32', 'float64']) as
      | Float32Array
      | Float64Array;
    const index = section('idfIndex', sections.idfIndex, ['uint8', 'uint16', 'uint32']) as
      | Uint8Array
      | Uint16Array;
    idfToCheck = palette;
    const j = firstAtLeast(index, palette.length);
    if (j >= 0)
      throw fail('bad-section', `idf index ${j} is ${index[j]}, past the ${palette.length}-value palette`);
    compact.idf = { palette, index };
  }
  checkValues(weightsToCheck, idfToCheck, header.intercept, header.calibration ?? null, (detail) =>
    fail('bad-values', detail),
  );
  let vocabulary: TermTable;
  try {
    const index = options.vocabularyIndex ?? 'eager';
    if (v3) {
      const coding = {
        prefixes: section('termPrefixes', sections.termPrefixes!, 'uint8') as Uint8Array,
        suffixLengths: termLengths,
        suffixes: terms,
      };
      // Lazy: searched in place, rebuilt only if the index is built. Eager, or in an unknown order:
      // rebuilt now.
      const lazy = index === 'lazy' ? FrontCodedTerms.read(coding) : null;
      if (lazy) vocabulary = TermTable.overFrontCoded(lazy);
      else {
        const full = expandFrontCoded(coding);
        vocabulary = full.ascending
          ? TermTable.overAscending(full.bytes, full.starts, { index })
          : TermTable.fromLengths(full.bytes, lengthsOf(full.starts), { index });
      }
    } else vocabulary = TermTable.fromLengths(terms, termLengths, { index });
  } catch (error) {
    if (error instanceof ModelLoadError) throw error;
    throw fail('bad-section', `vocabulary is inconsistent: ${(error as Error).message}`, error);
  }
  const parameters = {
    analyzer: header.analyzer,
    weighting: header.weighting,
    vocabulary,
    intercept: header.intercept,
    calibration: header.calibration ?? null,
  } as ModelParameters;
  const quantized = compact.weights;
  if (quantized)
    expandOnRead(parameters, 'weights', () => dequantizeWeights(quantized.values, quantized.scale));
  else parameters.weights = weights as Float32Array | Float64Array;
  const palette = compact.idf;
  if (palette) expandOnRead(parameters, 'idf', () => expandPalette(palette.palette, palette.index));
  else parameters.idf = idf;
  try {
    return new SentimentModel(parameters, header.metadata as ModelMetadata, compact);
  } catch (error) {
    throw fail('bad-section', (error as Error).message, error);
  }
}

/** The first j with `values[j] >= limit`, or -1. */
function firstAtLeast(values: Uint8Array | Uint16Array | Uint32Array, limit: number): number {
  for (let j = 0; j < values.length; j++) if (values[j] >= limit) return j;
  return -1;
}

/** `palette[index[j]]` for every j. */
function expandPalette(
  palette: Float32Array | Float64Array,
  index: Uint8Array | Uint16Array | Uint32Array,
): Float32Array | Float64Array {
  const out = new (palette instanceof Float64Array ? Float64Array : Float32Array)(index.length);
  for (let j = 0; j < index.length; j++) out[j] = palette[index[j]];
  return out;
}

/** Makes `object[key]` a value computed on its first read, then kept (enumerable, so spreads copy it). */
function expandOnRead<K extends 'weights' | 'idf'>(
  object: ModelParameters,
  key: K,
  make: () => ModelParameters[K],
): void {
  Object.defineProperty(object, key, {
    configurable: true,
    enumerable: true,
    get() {
      const value = make();
      Object.defineProperty(object, key, { value, configurable: true, enumerable: true, writable: true });
      return value;
    },
  });
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
  weights: ArrayLike<number> | null,
  idf: ArrayLike<number> | null,
  intercept: number,
  calibration: { slope: number; intercept: number } | null,
  fail: (detail: string) => Error,
): void {
  if (!(Math.abs(intercept) <= MAX_MAGNITUDE))
    throw fail(`intercept ${intercept} is not a finite number within ±${MAX_MAGNITUDE}`);
  for (let j = 0; weights !== null && j < weights.length; j++) {
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
