import { SentimentError } from '../errors.js';
import { Analyzer, type AnalyzerOptions, SKLEARN_ANALYZER, TokenStream } from '../text/analyzer.js';
import type { TermList } from '../text/term-list.js';
import { compareBytes, continueHash, TermTable } from '../text/term-table.js';
import { grow } from './memory.js';
import { CsrBuilder, CsrMatrix, estimateEntries } from './sparse.js';

/** How counts become features: scikit-learn's `TfidfTransformer` settings. */
export interface WeightingOptions {
  /** Count presence (1) instead of occurrences. */
  binary: boolean;
  /** Multiply by the inverse document frequency. */
  useIdf: boolean;
  /** idf = ln((1 + n) / (1 + df)) + 1 instead of ln(n / df) + 1. */
  smoothIdf: boolean;
  /** tf = 1 + ln(count). */
  sublinearTf: boolean;
  /** Row normalization. */
  norm: 'l2' | 'l1' | 'none';
}

/** Which n-grams enter the vocabulary. */
export interface PruningOptions {
  /** Drop n-grams in fewer documents: an integer count, or a fraction in [0, 1). */
  minDf: number;
  /** Drop n-grams in more documents: an integer count, a fraction in (0, 1), or null for no limit. */
  maxDf: number | null;
  /** Keep only the most frequent n-grams (by total count, or documents when `binary`). */
  maxFeatures: number | null;
}

export type TfidfOptions = AnalyzerOptions & WeightingOptions & PruningOptions;

/** scikit-learn's `TfidfVectorizer()` defaults. */
export const SKLEARN_TFIDF: TfidfOptions = {
  ...SKLEARN_ANALYZER,
  binary: false,
  useIdf: true,
  smoothIdf: true,
  sublinearTf: false,
  norm: 'l2',
  minDf: 1,
  maxDf: null,
  maxFeatures: null,
};

/** Sublinear tf, 1 + ln(count), of the small counts most terms have: the same values, without a log each. */
const LOG_TF = Float64Array.from({ length: 64 }, (_, count) => Math.log(count) + 1);

/** Turns the counts of one document into its feature values, in place. */
export class Weighting {
  constructor(
    readonly options: WeightingOptions,
    /** Per-term idf (a palette when `idfIndex` is given), or null when `useIdf` is off. */
    readonly idf: Float64Array | Float32Array | null,
    /** Term j's idf is `idf[idfIndex[j]]`. */
    readonly idfIndex: Uint8Array | Uint16Array | Uint32Array | null = null,
  ) {}

  /** Weighs `values[0, length)`, the counts of terms `ids[0, length)`, then normalizes them. */
  apply(ids: Uint32Array, values: Float64Array, length: number): void {
    this.applyRange(ids, values, 0, length);
  }

  /** `apply` to entries `from` to `to` of `ids` and `values` (one row of a matrix). */
  applyRange(ids: Uint32Array, values: Float64Array, from: number, to: number): void {
    const { binary, sublinearTf, norm } = this.options;
    const { idf, idfIndex } = this;
    let total = 0;
    for (let k = from; k < to; k++) {
      let v = binary ? 1 : values[k];
      if (sublinearTf) v = v < LOG_TF.length && Number.isInteger(v) ? LOG_TF[v] : Math.log(v) + 1;
      if (idf !== null) v *= idfIndex === null ? idf[ids[k]] : idf[idfIndex[ids[k]]];
      values[k] = v;
      total += norm === 'l2' ? v * v : Math.abs(v);
    }
    if (norm === 'none' || total === 0) return;
    const divisor = norm === 'l2' ? Math.sqrt(total) : total;
    for (let k = from; k < to; k++) values[k] /= divisor;
  }
}

/** scikit-learn's idf from document frequencies. */
export function inverseDocumentFrequency(
  documentFrequency: Uint32Array,
  documents: number,
  smooth: boolean,
): Float64Array {
  const idf = new Float64Array(documentFrequency.length);
  const extra = smooth ? 1 : 0;
  for (let j = 0; j < idf.length; j++) {
    idf[j] = Math.log((documents + extra) / (documentFrequency[j] + extra)) + 1;
  }
  return idf;
}

/**
 * One document's distinct terms, in order of first appearance, and their counts: reusable buffers
 * that `begin` empties and `add` fills.
 */
export class DocumentTally {
  /**
   * A small open-addressing table of this document's terms (term + 1, 0: empty) and where each is in
   * `ids`: it stays in cache, where an array indexed by term id (hundreds of thousands of n-grams)
   * would miss it on almost every n-gram. Starting a document empties only the slots the last one
   * used (`slotOf`), so a table grown for a long document costs a short one nothing.
   */
  private slotTerms = new Uint32Array(1024);
  private slotPlaces = new Uint32Array(1024);
  private shift = 22;
  /** The slot of each of `ids`. */
  private slotOf = new Uint32Array(1024);
  /** The distinct terms of the last document, in order of first appearance. */
  ids = new Uint32Array(1024);
  /** Their counts, as float64 so that weighting can happen in place. */
  values = new Float64Array(1024);
  /** How many distinct terms the last document had. */
  length = 0;

  /** Starts a document. */
  begin(): void {
    for (let k = 0; k < this.length; k++) this.slotTerms[this.slotOf[k]] = 0;
    this.length = 0;
  }

  /** Counts one occurrence of `term`. */
  add(term: number): void {
    const { slotTerms } = this;
    const key = term + 1;
    let slot = Math.imul(term, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const held = slotTerms[slot];
      if (held === key) {
        this.values[this.slotPlaces[slot]]++;
        return;
      }
      if (held === 0) break;
      slot = (slot + 1) & (slotTerms.length - 1);
    }
    if (this.length === this.ids.length) {
      this.ids = grow(this.ids, this.length + 1);
      this.values = grow(this.values, this.length + 1);
      this.slotOf = grow(this.slotOf, this.length + 1);
    }
    slotTerms[slot] = key;
    this.slotPlaces[slot] = this.length;
    this.slotOf[this.length] = slot;
    this.ids[this.length] = term;
    this.values[this.length++] = 1;
    // At most half full: a table twice as large, refilled from `ids`.
    if (this.length * 2 > slotTerms.length) this.rehash(slotTerms.length * 2);
  }

  /** A table of `size` slots (a power of two) holding this document's terms so far. */
  private rehash(size: number): void {
    this.slotTerms = new Uint32Array(size);
    this.slotPlaces = new Uint32Array(size);
    this.shift = 32 - Math.log2(size);
    for (let k = 0; k < this.length; k++) {
      let slot = Math.imul(this.ids[k], 0x9e3779b1) >>> this.shift;
      while (this.slotTerms[slot] !== 0) slot = (slot + 1) & (size - 1);
      this.slotTerms[slot] = this.ids[k] + 1;
      this.slotPlaces[slot] = k;
      this.slotOf[k] = slot;
    }
  }
}

/** Counts the n-grams of one document at a time into reusable buffers, in time linear in its length. */
export class TermCounter extends DocumentTally {
  private readonly stream = new TokenStream();
  private gramHashes = new Uint32Array(256);
  /** A word of each n-gram's slot loaded ahead of its lookup, kept so that the loads are not optimized away. */
  loaded = 0;
  /** How many of its n-grams the vocabulary knew, with repeats. */
  known = 0;
  /** How many it did not know. */
  unknown = 0;

  constructor(
    private readonly analyzer: Analyzer,
    private readonly vocabulary: TermTable,
  ) {
    super();
  }

  /** Characters of the last text after preprocessing. */
  get analyzedChars(): number {
    return this.stream.analyzedChars;
  }

  count(text: string, maxChars?: number): void {
    const { analyzer, vocabulary, stream } = this;
    analyzer.tokenize(text, stream, maxChars);
    this.begin();
    this.known = 0;
    this.unknown = 0;
    const [minN, maxN] = analyzer.options.ngramRange;
    const { bytes, starts, ends, count } = stream;
    // Each n-gram's hash extends the hash of the (n - 1)-gram at the same place by a space and a token.
    if (this.gramHashes.length < count) this.gramHashes = new Uint32Array(stream.hashes.length);
    const gramHashes = this.gramHashes;
    gramHashes.set(stream.hashes.subarray(0, count));
    for (let n = 1; n <= maxN; n++) {
      const positions = count - n + 1;
      let loaded = 0;
      for (let i = 0; i < positions; i++) {
        if (n > 1) gramHashes[i] = continueHash(gramHashes[i], bytes, ends[i + n - 2], ends[i + n - 1]);
        // The vocabulary's index is MBs: each n-gram's slot loaded first (`TermTable.touch`).
        if (n >= minN) loaded ^= vocabulary.touch(gramHashes[i]);
      }
      this.loaded = loaded;
      if (n < minN) continue;
      for (let i = 0; i < positions; i++) {
        const id = vocabulary.lookup(bytes, starts[i], ends[i + n - 1], gramHashes[i]);
        if (id < 0) {
          this.unknown++;
          continue;
        }
        this.known++;
        this.add(id);
      }
    }
  }
}

export class VocabularyError extends SentimentError {
  override readonly name = 'VocabularyError';
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('vocabulary_empty', message, options);
  }
}

/** The n-gram counts of documents: every distinct n-gram seen, and one row of counts per document. */
export interface TermCounts {
  /** Column `j` of `raw` counts term `j` of this list (ids in order of first appearance). */
  terms: TermList;
  raw: CsrMatrix;
}

export interface FittedTfidf {
  vectorizer: TfidfVectorizer;
  matrix: CsrMatrix;
  documentFrequency: Uint32Array;
}

/**
 * scikit-learn's `TfidfVectorizer(analyzer='word')`: the same vocabulary (sorted by code point) and
 * the same values, computed in float64.
 */
export class TfidfVectorizer {
  constructor(
    readonly analyzer: Analyzer,
    /** Term ids are column indices; terms are in code-point order, as scikit-learn sorts them. */
    readonly vocabulary: TermTable,
    readonly weighting: Weighting,
  ) {}

  /**
   * Learns the vocabulary and idf from documents' n-gram counts (`countTerms`, or counts of shards
   * merged by `mergeTermCounts`) and returns their feature matrix. Reuses the counts' arrays.
   */
  static fromCounts(counts: TermCounts, options: TfidfOptions): FittedTfidf {
    const { terms: seen, raw } = counts;
    const analyzer = new Analyzer(options);
    const { kept, seenFrequency } = selectTerms(raw, seen, options);
    const remap = new Int32Array(seen.size).fill(-1);
    kept.forEach((id, column) => {
      remap[id] = column;
    });
    const vocabularyBytes = concatenate(seen, kept);
    // Its hash index is built at the first lookups, if any: a fit that only writes the model needs none.
    const vocabulary = TermTable.fromLengths(vocabularyBytes.bytes, vocabularyBytes.lengths, {
      index: 'lazy',
      lookupsBeforeIndex: 1024,
    });

    const documentFrequency = new Uint32Array(kept.length);
    for (let column = 0; column < kept.length; column++)
      documentFrequency[column] = seenFrequency[kept[column]];
    // Drop pruned terms and renumber the rest in place: no second copy of the matrix.
    const { indptr, indices, data } = raw;
    let write = 0;
    let rowStart = 0;
    for (let i = 0; i < raw.rows; i++) {
      const rowEnd = indptr[i + 1];
      for (let k = rowStart; k < rowEnd; k++) {
        const column = remap[indices[k]];
        if (column < 0) continue;
        indices[write] = column;
        data[write++] = data[k];
      }
      rowStart = rowEnd;
      indptr[i + 1] = write;
    }
    const matrix = new CsrMatrix(
      raw.rows,
      kept.length,
      indptr,
      indices.subarray(0, write),
      data.subarray(0, write),
    );
    const idf = options.useIdf
      ? inverseDocumentFrequency(documentFrequency, raw.rows, options.smoothIdf)
      : null;
    const weighting = new Weighting(pickWeighting(options), idf);
    for (let i = 0; i < matrix.rows; i++)
      weighting.applyRange(matrix.indices, matrix.data, matrix.indptr[i], matrix.indptr[i + 1]);
    return { vectorizer: new TfidfVectorizer(analyzer, vocabulary, weighting), matrix, documentFrequency };
  }

  /** The feature matrix of `documents` (n-grams outside the vocabulary are ignored). */
  transform(documents: readonly string[]): CsrMatrix {
    const counter = new TermCounter(this.analyzer, this.vocabulary);
    const orders = this.analyzer.options.ngramRange[1] - this.analyzer.options.ngramRange[0] + 1;
    const rows = new CsrBuilder(documents.length, estimateEntries(documents, orders));
    for (const document of documents) {
      counter.count(document);
      this.weighting.apply(counter.ids, counter.values, counter.length);
      rows.addRow(counter.ids, counter.values, counter.length);
    }
    return rows.finish(this.vocabulary.size);
  }
}

export function pickWeighting(options: WeightingOptions): WeightingOptions {
  const { binary, useIdf, smoothIdf, sublinearTf, norm } = options;
  return { binary, useIdf, smoothIdf, sublinearTf, norm };
}

/** The document count a min_df / max_df setting stands for, as scikit-learn reads it. */
export function documentCountLimit(setting: number, documents: number, name: string): number {
  if (!(setting >= 0)) throw new RangeError(`${name} must be >= 0, got ${setting}`);
  if (Number.isInteger(setting)) return setting;
  if (setting >= 1)
    throw new RangeError(`${name} must be an integer count or a fraction below 1, got ${setting}`);
  return setting * documents;
}

/**
 * scikit-learn's `_limit_features`: the kept terms' ids in code-point order, and every seen term's
 * document frequency.
 */
function selectTerms(
  raw: CsrMatrix,
  seen: TermList,
  options: PruningOptions & WeightingOptions,
): { kept: number[]; seenFrequency: Uint32Array } {
  // The counts may hold n-grams shorter than the range (they key longer ones): in no row.
  if (raw.nnz === 0) {
    throw new VocabularyError(
      'empty vocabulary: the documents contain no n-grams (only stop words or too short)',
    );
  }
  const documentFrequency = new Uint32Array(seen.size);
  for (let k = 0; k < raw.indices.length; k++) documentFrequency[raw.indices[k]]++;
  const low = documentCountLimit(options.minDf, raw.rows, 'minDf');
  const high =
    options.maxDf === null ? Number.POSITIVE_INFINITY : documentCountLimit(options.maxDf, raw.rows, 'maxDf');
  if (high < low) throw new RangeError('maxDf corresponds to fewer documents than minDf');
  const kept: number[] = [];
  for (let id = 0; id < seen.size; id++) {
    const df = documentFrequency[id];
    if (df > 0 && df >= low && df <= high) kept.push(id);
  }
  sortByBytes(seen, kept);
  if (options.maxFeatures !== null && kept.length > options.maxFeatures) {
    // Most frequent first; ties keep code-point order (scikit-learn's unstable argsort may differ on ties).
    const total = new Float64Array(seen.size);
    for (let k = 0; k < raw.indices.length; k++) total[raw.indices[k]] += options.binary ? 1 : raw.data[k];
    const ranked = kept.map((id, rank) => ({ id, rank }));
    ranked.sort((a, b) => total[b.id] - total[a.id] || a.rank - b.rank);
    const top = ranked.slice(0, options.maxFeatures).sort((a, b) => a.rank - b.rank);
    kept.length = 0;
    for (const { id } of top) kept.push(id);
  }
  if (kept.length === 0) {
    throw new VocabularyError('after pruning, no terms remain: try a lower minDf or a higher maxDf');
  }
  return { kept, seenFrequency: documentFrequency };
}

/** Runs this short are sorted by comparisons. */
const SMALL_RUN = 12;
/** Keys hold a run's local index below this (the run's terms' next bytes above it): 29 + 24 bits, exact in a double. */
const RUN_INDEX = 2 ** 29;

/**
 * Sorts term ids by their bytes (code-point order): three bytes at a time, each id's next three bytes
 * and its place in the run in one number, sorted natively; only runs equal in those bytes go on to
 * the next three. Bytes past a term's end count as 0, which no token contains, so a prefix sorts first.
 */
function sortByBytes(table: TermList, ids: number[], from = 0, to = ids.length, depth = 0): void {
  const { bytes, starts } = table;
  const n = to - from;
  if (n >= RUN_INDEX) throw new RangeError(`cannot sort ${n} terms`);
  if (n <= SMALL_RUN) {
    // Insertion sort on the bytes past `depth`: cheaper than a sort's arrays for a few terms.
    for (let i = from + 1; i < to; i++) {
      const id = ids[i];
      let j = i - 1;
      while (
        j >= from &&
        compareBytes(
          bytes,
          starts[ids[j]] + depth,
          starts[ids[j] + 1],
          bytes,
          starts[id] + depth,
          starts[id + 1],
        ) > 0
      ) {
        ids[j + 1] = ids[j];
        j--;
      }
      ids[j + 1] = id;
    }
    return;
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const id = ids[from + i];
    const start = starts[id] + depth;
    const end = starts[id + 1];
    let next = 0;
    for (let k = start; k < start + 3; k++) next = next * 256 + (k < end ? bytes[k] : 0);
    keys[i] = next * RUN_INDEX + i;
  }
  keys.sort();
  const run = ids.slice(from, to);
  for (let i = 0; i < n; i++) ids[from + i] = run[keys[i] % RUN_INDEX];
  for (let i = 0; i < n; ) {
    const next = Math.floor(keys[i] / RUN_INDEX);
    let j = i + 1;
    while (j < n && Math.floor(keys[j] / RUN_INDEX) === next) j++;
    // Equal and all ended (next = 0): the same term twice, which counting never makes; left as is.
    if (j - i > 1 && next !== 0) sortByBytes(table, ids, from + i, from + j, depth + 3);
    i = j;
  }
}

/** The bytes of terms `ids` of `table` back to back, and each one's length. */
function concatenate(table: TermList, ids: readonly number[]): { bytes: Uint8Array; lengths: Uint32Array } {
  const { bytes: source, starts } = table;
  const lengths = new Uint32Array(ids.length);
  let total = 0;
  for (let column = 0; column < ids.length; column++) {
    lengths[column] = starts[ids[column] + 1] - starts[ids[column]];
    total += lengths[column];
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const id of ids) {
    for (let k = starts[id]; k < starts[id + 1]; k++) bytes[at++] = source[k];
  }
  return { bytes, lengths };
}
