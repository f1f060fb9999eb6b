import { SentimentError } from '../errors.js';
import { Analyzer, type AnalyzerOptions, SKLEARN_ANALYZER, TokenStream } from '../text/analyzer.js';
import { TermTable } from '../text/term-table.js';
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

/** Turns the counts of one document into its feature values, in place. */
export class Weighting {
  constructor(
    readonly options: WeightingOptions,
    /** Per-term idf, or null when `useIdf` is off. */
    readonly idf: Float64Array | Float32Array | null,
  ) {}

  /** Weighs `values[0, length)`, the counts of terms `ids[0, length)`, then normalizes them. */
  apply(ids: Uint32Array, values: Float64Array, length: number): void {
    const { binary, sublinearTf, norm } = this.options;
    const idf = this.idf;
    let total = 0;
    for (let k = 0; k < length; k++) {
      let v = binary ? 1 : values[k];
      if (sublinearTf) v = Math.log(v) + 1;
      if (idf !== null) v *= idf[ids[k]];
      values[k] = v;
      total += norm === 'l2' ? v * v : Math.abs(v);
    }
    if (norm === 'none' || total === 0) return;
    const divisor = norm === 'l2' ? Math.sqrt(total) : total;
    for (let k = 0; k < length; k++) values[k] /= divisor;
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

/** Counts the n-grams of one document at a time into reusable buffers, in time linear in its length. */
export class TermCounter {
  private readonly stream = new TokenStream();
  private counts = new Uint32Array(1024);
  /** The distinct terms of the last document, in order of first appearance. */
  ids = new Uint32Array(1024);
  /** Their counts, as float64 so that weighting can happen in place. */
  values = new Float64Array(1024);
  /** How many distinct terms the last document had. */
  length = 0;
  /** How many of its n-grams the vocabulary knew, with repeats. */
  known = 0;
  /** How many it did not know. */
  unknown = 0;

  constructor(
    private readonly analyzer: Analyzer,
    private readonly vocabulary: TermTable,
    /** Add unseen n-grams to the vocabulary (fitting) instead of skipping them. */
    private readonly grow: boolean,
  ) {}

  /** Characters of the last text after preprocessing. */
  get analyzedChars(): number {
    return this.stream.analyzedChars;
  }

  count(text: string, maxChars?: number): void {
    const { analyzer, vocabulary, stream } = this;
    analyzer.tokenize(text, stream, maxChars);
    this.length = 0;
    this.known = 0;
    this.unknown = 0;
    const [minN, maxN] = analyzer.options.ngramRange;
    const { bytes, starts, ends, count } = stream;
    for (let n = minN; n <= maxN; n++) {
      for (let i = 0; i + n <= count; i++) {
        const start = starts[i];
        const end = ends[i + n - 1];
        const id = this.grow ? vocabulary.intern(bytes, start, end) : vocabulary.lookup(bytes, start, end);
        if (id < 0) {
          this.unknown++;
          continue;
        }
        this.known++;
        if (id >= this.counts.length) this.counts = grow(this.counts, id + 1);
        if (this.counts[id]++ === 0) {
          if (this.length === this.ids.length) {
            this.ids = grow(this.ids, this.length + 1);
            this.values = grow(this.values, this.length + 1);
          }
          this.ids[this.length++] = id;
        }
      }
    }
    for (let k = 0; k < this.length; k++) {
      const id = this.ids[k];
      this.values[k] = this.counts[id];
      this.counts[id] = 0;
    }
  }
}

function grow<T extends Uint32Array | Float64Array>(array: T, atLeast: number): T {
  const grown = new (array.constructor as new (n: number) => T)(Math.max(array.length * 2, atLeast));
  grown.set(array);
  return grown;
}

export class VocabularyError extends SentimentError {
  override readonly name = 'VocabularyError';
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('vocabulary_empty', message, options);
  }
}

/** The n-gram counts of documents: every distinct n-gram seen, and one row of counts per document. */
export interface TermCounts {
  /** Column `j` of `raw` counts term `j` of this table (ids in order of first appearance). */
  terms: TermTable;
  raw: CsrMatrix;
}

export interface FittedTfidf {
  vectorizer: TfidfVectorizer;
  matrix: CsrMatrix;
  documentFrequency: Uint32Array;
}

/** Counts the n-grams of `documents`, growing a table of every distinct one: the first pass of a fit. */
export function countTerms(
  documents: readonly string[],
  options: AnalyzerOptions,
  /** Called every 1,000 documents with how many are counted. */
  onProgress?: (done: number, total: number) => void,
): TermCounts {
  const analyzer = new Analyzer(options);
  const terms = new TermTable(1 << 18, 1 << 22);
  const counter = new TermCounter(analyzer, terms, true);
  const orders = options.ngramRange[1] - options.ngramRange[0] + 1;
  const counts = new CsrBuilder(documents.length, estimateEntries(documents, orders));
  documents.forEach((document, i) => {
    counter.count(document);
    counts.addRow(counter.ids, counter.values, counter.length);
    if (onProgress && (i + 1) % 1000 === 0) onProgress(i + 1, documents.length);
  });
  onProgress?.(documents.length, documents.length);
  return { terms, raw: counts.finish(terms.size) };
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

  /** Learns the vocabulary and idf from `documents` and returns their feature matrix. */
  static fitTransform(
    documents: readonly string[],
    options: TfidfOptions,
    /** Called every 1,000 documents with how many are counted. */
    onProgress?: (done: number, total: number) => void,
  ): FittedTfidf {
    return TfidfVectorizer.fromCounts(countTerms(documents, options, onProgress), options);
  }

  /**
   * Learns the vocabulary and idf from documents' n-gram counts (`countTerms`, or counts of shards
   * merged by `mergeTermCounts`) and returns their feature matrix. Reuses the counts' arrays.
   */
  static fromCounts(counts: TermCounts, options: TfidfOptions): FittedTfidf {
    const { terms: seen, raw } = counts;
    const analyzer = new Analyzer(options);
    const kept = selectTerms(raw, seen, options);
    const remap = new Int32Array(seen.size).fill(-1);
    kept.forEach((id, column) => {
      remap[id] = column;
    });
    const vocabularyBytes = concatenate(seen, kept);
    const vocabulary = TermTable.fromLengths(vocabularyBytes.bytes, vocabularyBytes.lengths);

    // Drop pruned terms and renumber the rest in place: no second copy of the matrix.
    const documentFrequency = new Uint32Array(kept.length);
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
        documentFrequency[column]++;
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
    for (let i = 0; i < matrix.rows; i++) {
      const start = matrix.indptr[i];
      const end = matrix.indptr[i + 1];
      weighting.apply(matrix.indices.subarray(start, end), matrix.data.subarray(start, end), end - start);
    }
    return { vectorizer: new TfidfVectorizer(analyzer, vocabulary, weighting), matrix, documentFrequency };
  }

  /** The feature matrix of `documents` (n-grams outside the vocabulary are ignored). */
  transform(documents: readonly string[]): CsrMatrix {
    const counter = new TermCounter(this.analyzer, this.vocabulary, false);
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

/** scikit-learn's `_limit_features`, returning the kept terms' ids in code-point order. */
function selectTerms(raw: CsrMatrix, seen: TermTable, options: PruningOptions & WeightingOptions): number[] {
  if (seen.size === 0) {
    throw new VocabularyError(
      'empty vocabulary: the documents contain no n-grams (only stop words or too short)',
    );
  }
  const documentFrequency = new Uint32Array(seen.size);
  const total = new Float64Array(seen.size);
  for (let k = 0; k < raw.indices.length; k++) {
    documentFrequency[raw.indices[k]]++;
    total[raw.indices[k]] += options.binary ? 1 : raw.data[k];
  }
  const low = documentCountLimit(options.minDf, raw.rows, 'minDf');
  const high =
    options.maxDf === null ? Number.POSITIVE_INFINITY : documentCountLimit(options.maxDf, raw.rows, 'maxDf');
  if (high < low) throw new RangeError('maxDf corresponds to fewer documents than minDf');
  const kept: number[] = [];
  for (let id = 0; id < seen.size; id++) {
    if (documentFrequency[id] >= low && documentFrequency[id] <= high) kept.push(id);
  }
  sortByBytes(seen, kept);
  if (options.maxFeatures !== null && kept.length > options.maxFeatures) {
    // Most frequent first; ties keep code-point order (scikit-learn's unstable argsort may differ on ties).
    const ranked = kept.map((id, rank) => ({ id, rank }));
    ranked.sort((a, b) => total[b.id] - total[a.id] || a.rank - b.rank);
    const top = ranked.slice(0, options.maxFeatures).sort((a, b) => a.rank - b.rank);
    kept.length = 0;
    for (const { id } of top) kept.push(id);
  }
  if (kept.length === 0) {
    throw new VocabularyError('after pruning, no terms remain: try a lower minDf or a higher maxDf');
  }
  return kept;
}

/**
 * Sorts term ids by their bytes (code-point order). Each id travels with its term's first five bytes
 * in one 64-bit key (bytes past a term's end count as 0, which no token contains, so a prefix sorts
 * first), sorted natively; only runs of equal keys go through a comparison of the whole terms.
 */
function sortByBytes(table: TermTable, ids: number[]): void {
  if (table.size >= 2 ** 24) {
    ids.sort((a, b) => table.compare(a, b));
    return;
  }
  const keys = new BigUint64Array(ids.length);
  ids.forEach((id, i) => {
    const term = table.bytesOf(id);
    let prefix = 0;
    for (let k = 0; k < 5; k++) prefix = prefix * 256 + (k < term.length ? term[k] : 0);
    keys[i] = (BigInt(prefix) << 24n) | BigInt(id);
  });
  keys.sort();
  for (let i = 0; i < keys.length; i++) ids[i] = Number(keys[i] & 0xffffffn);
  const run: number[] = [];
  for (let i = 0; i < keys.length; ) {
    let j = i + 1;
    while (j < keys.length && keys[j] >> 24n === keys[i] >> 24n) j++;
    if (j - i > 1) {
      run.length = 0;
      for (let k = i; k < j; k++) run.push(ids[k]);
      run.sort((a, b) => table.compare(a, b));
      for (let k = i; k < j; k++) ids[k] = run[k - i];
    }
    i = j;
  }
}

function concatenate(table: TermTable, ids: readonly number[]): { bytes: Uint8Array; lengths: Uint32Array } {
  const lengths = new Uint32Array(ids.length);
  let total = 0;
  ids.forEach((id, column) => {
    lengths[column] = table.bytesOf(id).length;
    total += lengths[column];
  });
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const id of ids) {
    const term = table.bytesOf(id);
    bytes.set(term, at);
    at += term.length;
  }
  return { bytes, lengths };
}
