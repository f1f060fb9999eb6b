import { Analyzer, type AnalyzerOptions, TokenStream } from '../text/analyzer.js';
import { type EncodedTexts, isEncoded, type Texts, textCount, textUnits } from '../text/encoded-texts.js';
import { TokenTable } from '../text/token-table.js';
import { grow } from './memory.js';
import { mergeTermCounts, NO_PREFIX, type ShardCounts } from './merge-counts.js';
import { PairTable } from './pair-table.js';
import { CsrBuilder, estimateEntries } from './sparse.js';
import {
  DocumentTally,
  type FittedTfidf,
  type TermCounts,
  type TfidfOptions,
  TfidfVectorizer,
} from './vectorizer.js';

/**
 * Counts the n-grams of documents while learning them: the first pass of a fit. Tokens are interned
 * by their bytes in a small table that stays in cache; an n-gram of n ≥ 2 is then found by the pair
 * (the id of its first n - 1 tokens, the id of its last token) in a table of integer keys
 * (`PairTable`), so its bytes are never hashed or compared, only copied once when first seen. Tokens
 * never contain a space, so the token sequence and the spelling (`' '.join(tokens)`) name the same
 * n-gram.
 *
 * Every n-gram of n ≤ the largest gets an id, in order of first appearance (n-gram length by n-gram
 * length within a document), the shorter ones too when `ngramRange` starts above 1: they key the
 * longer ones. Rows count only the n-grams in range; those of other lengths appear in no row.
 */
export class NgramCollector {
  private readonly analyzer: Analyzer;
  private readonly stream = new TokenStream();
  private readonly tokens = new TokenTable(1 << 14);
  /** Each token's term id. */
  private tokenTerms = new Uint32Array(1 << 14);
  private readonly pairs: PairTable;
  /** The term ids of the document's tokens, and of its n-grams by starting position, one n at a time. */
  private unigrams = new Uint32Array(256);
  private grams = new Uint32Array(256);
  /** Where each n-gram's pair is first looked for (`PairTable.home`). */
  private homes = new Uint32Array(256);
  /** A word of each home loaded, kept so that the loads are not optimized away. */
  loaded = 0;
  private termBytes = new Uint8Array(1 << 20);
  private termStarts = new Uint32Array(1 << 14);
  /** Each term's first n - 1 tokens' term id (`NO_PREFIX` for a token) and its last token's term id. */
  private prefixes = new Uint32Array(1 << 14);
  private lasts = new Uint32Array(1 << 14);
  private termCount = 0;
  private readonly tally = new DocumentTally();

  constructor(
    options: AnalyzerOptions,
    /** About how many distinct n-grams of n ≥ 2 to expect: sizes the pair table, to rehash less. */
    expectedPairs = 0,
  ) {
    this.analyzer = new Analyzer(options);
    this.pairs = PairTable.withCapacity(expectedPairs);
  }

  /** Counts one document into `rows`. */
  add(text: string, rows: CsrBuilder): void {
    this.analyzer.tokenize(text, this.stream);
    this.countStream(rows);
  }

  /** Counts document `i` of encoded texts into `rows`. */
  addEncoded(texts: EncodedTexts, i: number, rows: CsrBuilder): void {
    this.analyzer.tokenizeUtf8(texts.bytes, i === 0 ? 0 : texts.ends[i - 1], texts.ends[i], this.stream);
    this.countStream(rows);
  }

  /** Counts the tokens in the stream, one document, into `rows`. */
  private countStream(rows: CsrBuilder): void {
    const { stream, tokens, pairs } = this;
    const [minN, maxN] = this.analyzer.options.ngramRange;
    const { bytes, starts, ends, count } = stream;
    if (this.grams.length < count) {
      this.unigrams = new Uint32Array(count * 2);
      this.grams = new Uint32Array(count * 2);
      this.homes = new Uint32Array(count * 2);
    }
    const { unigrams, grams, tally } = this;
    tally.begin();
    for (let i = 0; i < count; i++) {
      const before = tokens.size;
      const token = tokens.intern(stream, i);
      if (token === before) {
        if (token === this.tokenTerms.length) this.tokenTerms = grow(this.tokenTerms, token + 1);
        this.tokenTerms[token] = this.newTerm(bytes, starts[i], ends[i], NO_PREFIX, 0);
      }
      unigrams[i] = this.tokenTerms[token];
      grams[i] = unigrams[i];
      if (minN === 1) tally.add(unigrams[i]);
    }
    const { homes } = this;
    for (let n = 2; n <= maxN; n++) {
      const positions = count - n + 1;
      if (positions <= 0) break;
      // The pair table is tens of MB: a cache miss per n-gram. Their homes first, each loaded (loads
      // the processor overlaps), with room made for every n-gram so that the homes stay valid; then
      // the lookups, in cache.
      pairs.reserve(positions);
      let loaded = 0;
      for (let i = 0; i < positions; i++) {
        homes[i] = pairs.home(grams[i], unigrams[i + n - 1]);
        loaded ^= pairs.touch(homes[i]);
      }
      this.loaded = loaded;
      // In place: the n-gram at i is the (n - 1)-gram at i followed by the token at i + n - 1.
      for (let i = 0; i < positions; i++) {
        const prefix = grams[i];
        const last = unigrams[i + n - 1];
        const slot = pairs.findFrom(homes[i], prefix, last);
        let term = pairs.valueAt(slot);
        if (term < 0) {
          term = this.newTerm(bytes, starts[i], ends[i + n - 1], prefix, last);
          pairs.insert(slot, prefix, last, term);
        }
        if (n >= minN) tally.add(term);
        grams[i] = term;
      }
    }
    rows.addRow(tally.ids, tally.values, tally.length);
  }

  private newTerm(bytes: Uint8Array, start: number, end: number, prefix: number, last: number): number {
    const id = this.termCount++;
    if (id + 1 >= this.termStarts.length) {
      this.termStarts = grow(this.termStarts, id + 2);
      this.prefixes = grow(this.prefixes, id + 1);
      this.lasts = grow(this.lasts, id + 1);
    }
    this.prefixes[id] = prefix;
    this.lasts[id] = last;
    let at = this.termStarts[id];
    if (at + end - start > this.termBytes.length) this.termBytes = grow(this.termBytes, at + end - start);
    // A loop, not set(subarray()): most terms are a few bytes, and a view per term costs more.
    const target = this.termBytes;
    for (let k = start; k < end; k++) target[at++] = bytes[k];
    this.termStarts[id + 1] = at;
    return id;
  }

  /** What was seen, with the rows counted into `rows`: the counts of a shard of documents. */
  finish(rows: CsrBuilder): ShardCounts {
    const terms = this.termCount;
    return {
      bytes: this.termBytes.slice(0, this.termStarts[terms]),
      starts: this.termStarts.slice(0, terms + 1),
      prefixes: this.prefixes.slice(0, terms),
      lasts: this.lasts.slice(0, terms),
      pairs: this.pairs.words,
      pairCount: this.pairs.size,
      raw: rows.finish(terms),
    };
  }
}

/** How `countShard` counts: progress, the room it makes, and where its rows live. */
export interface ShardOptions {
  /** Called every 1,000 documents with how many are counted. */
  onProgress?: (done: number, total: number) => void;
  /**
   * The documents of every shard when this is the first of several: its pair table and rows are
   * sized for all of them, so that the merge adds the later shards' pairs and rows in place
   * (`mergeTermCounts`, `appendRows`) instead of moving everything to fresh memory.
   */
  allDocuments?: Texts;
  /** Rows in SharedArrayBuffers (a counting thread's: the solver's threads read them in place). */
  shared?: boolean;
}

/** Counts the n-grams of `documents` in one pass: the n-grams seen, in id order, and the rows. */
export function countShard(
  documents: Texts,
  options: AnalyzerOptions,
  { onProgress, allDocuments = documents, shared = false }: ShardOptions = {},
): ShardCounts {
  const orders = options.ngramRange[1] - options.ngramRange[0] + 1;
  const collector = new NgramCollector(options, estimatePairs(allDocuments, options));
  const count = textCount(documents);
  const rows = new CsrBuilder(count, estimateEntries(allDocuments, orders), shared);
  for (let i = 0; i < count; i++) {
    if (isEncoded(documents)) collector.addEncoded(documents, i, rows);
    else collector.add(documents[i], rows);
    if (onProgress && (i + 1) % 1000 === 0) onProgress(i + 1, count);
  }
  onProgress?.(count, count);
  return collector.finish(rows);
}

/** About how many distinct n-grams of n ≥ 2 `documents` hold: on IMDb's reviews, about one per 16 units of text. */
export function estimatePairs(documents: Texts, options: AnalyzerOptions): number {
  if (options.ngramRange[1] === 1) return 0;
  return (textUnits(documents) / 16) * (options.ngramRange[1] - 1);
}

/** Counts the n-grams of `documents`: every distinct one, and their rows. */
export function countTerms(
  documents: readonly string[],
  options: AnalyzerOptions,
  onProgress?: (done: number, total: number) => void,
): TermCounts {
  return mergeTermCounts([countShard(documents, options, { onProgress })]);
}

/** Learns a vocabulary and idf from `documents` and returns their feature matrix (scikit-learn's `fit_transform`). */
export function fitTfidf(
  documents: readonly string[],
  options: TfidfOptions,
  /** Called every 1,000 documents with how many are counted. */
  onProgress?: (done: number, total: number) => void,
): FittedTfidf {
  return TfidfVectorizer.fromCounts(countTerms(documents, options, onProgress), options);
}
