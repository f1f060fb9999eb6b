import { SentimentError } from '../errors.js';
import { ENGLISH_STOP_WORDS } from './tables.js';
import { hashBytes, TermTable } from './term-table.js';
import { isWordCodePoint, stripAccentsAscii, stripAccentsUnicode } from './unicode.js';

/** What turns a text into n-grams: scikit-learn's word analyzer, plus an optional HTML preprocessor. */
export interface AnalyzerOptions {
  /** Lowercase before tokenizing (scikit-learn's `lowercase`). */
  lowercase: boolean;
  /** scikit-learn's `strip_accents`. */
  stripAccents: 'none' | 'ascii' | 'unicode';
  /** scikit-learn's `stop_words`: none, or its English list. */
  stopWords: 'none' | 'english';
  /** Smallest and largest n-gram length (scikit-learn's `ngram_range`). */
  ngramRange: readonly [number, number];
  /** Replace HTML tags such as `<br />` with spaces before anything else (not in scikit-learn). */
  stripHtml: boolean;
  /**
   * scikit-learn's `token_pattern`: `(?u)\b\w\w+\b` (the default: two or more word characters) or
   * `(?u)\b\w+\b` (single characters too). Absent means the default.
   */
  tokenPattern?: 'default' | 'single-character';
}

export const SKLEARN_ANALYZER: AnalyzerOptions = {
  lowercase: true,
  stripAccents: 'none',
  stopWords: 'none',
  ngramRange: [1, 1],
  stripHtml: false,
};

/**
 * The tokens of one text as UTF-8 bytes joined by single spaces. Tokens never contain a space, so
 * the n-gram of tokens i..j is the contiguous range `[starts[i], ends[j])` of `bytes`, spelled
 * exactly as scikit-learn spells it (`' '.join(tokens[i:j+1])`).
 */
export class TokenStream {
  bytes = new Uint8Array(1024);
  starts = new Uint32Array(256);
  ends = new Uint32Array(256);
  /** Each token's `hashBytes`, computed while it is written: a lookup need not read its bytes twice. */
  hashes = new Uint32Array(256);
  count = 0;
  /** Characters of the last text after preprocessing (what tokenizing cost is linear in). */
  analyzedChars = 0;

  reserve(maxBytes: number, maxTokens: number): void {
    if (this.bytes.length < maxBytes) this.bytes = new Uint8Array(maxBytes);
    if (this.starts.length < maxTokens) {
      this.starts = new Uint32Array(maxTokens);
      this.ends = new Uint32Array(maxTokens);
      this.hashes = new Uint32Array(maxTokens);
    }
    this.count = 0;
  }

  private viewed: Uint8Array | null = null;
  private dataView: DataView | null = null;

  /** A view of `bytes`, to read a token's first bytes as words (`TokenTable`), made again when `bytes` is replaced. */
  get view(): DataView {
    if (this.viewed !== this.bytes || this.dataView === null) {
      this.dataView = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
      this.viewed = this.bytes;
    }
    return this.dataView;
  }
}

/**
 * A text that preprocessing (lowercasing, accent stripping) made longer than the caller allows: NFKD
 * alone can turn one character into 18, so a budget on raw characters does not bound the work.
 */
export class AnalysisBudgetError extends SentimentError {
  override readonly name = 'AnalysisBudgetError';
  constructor(
    readonly chars: number,
    readonly limit: number,
  ) {
    super(
      'analysis_budget_exceeded',
      `the text is ${chars} characters once normalized; the budget left is ${limit}`,
    );
  }
}

const HTML_TAG = /<[^<>]*>/g;
const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_WORD[c] = isWordCodePoint(c) ? 1 : 0;
/** What a byte is to the ASCII tokenizer (`tokenizeAsciiBytes`). */
const OTHER = 0;
const WORD = 1;
/** `<`, where an HTML tag may start. */
const TAG_OPEN = 2;
/** A byte of a character outside ASCII. */
const NON_ASCII = 3;
const BYTE_CLASS = new Uint8Array(256);
for (let c = 0; c < 256; c++)
  BYTE_CLASS[c] = c >= 0x80 ? NON_ASCII : ASCII_WORD[c] === 1 ? WORD : c === 0x3c ? TAG_OPEN : OTHER;
/** Each ASCII byte lowercased (what `toLowerCase` does to an ASCII text). */
const ASCII_LOWER = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_LOWER[c] = c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class Analyzer {
  readonly options: AnalyzerOptions;
  private readonly stopWords: TermTable | null;
  private readonly minTokenLength: number;

  constructor(options: AnalyzerOptions) {
    const [minN, maxN] = options.ngramRange;
    if (!Number.isInteger(minN) || !Number.isInteger(maxN) || minN < 1 || maxN < minN) {
      throw new RangeError(`ngramRange must be two integers with 1 <= min <= max, got [${minN}, ${maxN}]`);
    }
    this.options = options;
    this.stopWords = options.stopWords === 'english' ? TermTable.fromTerms(ENGLISH_STOP_WORDS) : null;
    this.minTokenLength = options.tokenPattern === 'single-character' ? 1 : 2;
  }

  /** scikit-learn's preprocessing: HTML tags (optional), lowercase, then accents. */
  preprocess(text: string): string {
    return this.normalize(this.withoutTags(text));
  }

  private withoutTags(text: string): string {
    return this.options.stripHtml ? text.replace(HTML_TAG, ' ') : text;
  }

  private normalize(text: string): string {
    let out = text;
    if (this.options.lowercase) out = out.toLowerCase();
    if (this.options.stripAccents === 'unicode') out = stripAccentsUnicode(out);
    else if (this.options.stripAccents === 'ascii') out = stripAccentsAscii(out);
    return out;
  }

  /**
   * Fills `stream` with the tokens of `text`: maximal runs of word characters (two or more by
   * default), minus stop words. Refuses (`AnalysisBudgetError`) a text longer than `maxChars` once
   * preprocessed, before tokenizing it.
   */
  tokenize(text: string, stream: TokenStream, maxChars = Number.POSITIVE_INFINITY): void {
    if (text.length <= maxChars && this.tokenizeAscii(text, stream, maxChars)) return;
    this.tokenizeText(this.normalize(this.withoutTags(text)), stream, maxChars);
  }

  /**
   * `tokenize` for the text whose UTF-8 bytes are `bytes[start, end)` (a counting thread's documents
   * arrive so: moved, where strings would be copied and rebuilt), without making it a string unless
   * it holds a character outside ASCII. Invalid UTF-8 reads as U+FFFD, as `TextDecoder` reads it.
   */
  tokenizeUtf8(bytes: Uint8Array, start: number, end: number, stream: TokenStream): void {
    const length = end - start;
    stream.reserve(length * 4 + 4, (length >>> 1) + 1);
    stream.bytes.set(bytes.subarray(start, end));
    if (this.tokenizeAsciiBytes(stream, length, Number.POSITIVE_INFINITY)) return;
    const text = decoder.decode(bytes.subarray(start, end));
    this.tokenizeText(this.normalize(this.withoutTags(text)), stream, Number.POSITIVE_INFINITY);
  }

  /**
   * `tokenize` for a text that is all ASCII, which neither lowercasing nor stripping accents changes
   * but for A-Z: its UTF-8 bytes are its characters, so it is encoded natively into the stream and
   * tokenized there (`tokenizeAsciiBytes`). False, with the stream to be refilled, for any other text.
   */
  private tokenizeAscii(text: string, stream: TokenStream, maxChars: number): boolean {
    const length = text.length;
    // What the general path reserves, so that falling back allocates nothing more.
    stream.reserve(length * 4 + 4, (length >>> 1) + 1);
    const { read, written } = encoder.encodeInto(text, stream.bytes);
    if (read !== length || written !== length) return false;
    return this.tokenizeAsciiBytes(stream, length, maxChars);
  }

  /**
   * Tokenizes the text in `stream.bytes[0, length)` in place when it is all ASCII: its tokens are
   * compacted to the left, each lowercased and hashed as it is moved, with a space after each; with
   * `stripHtml`, an HTML tag counts as the one space `HTML_TAG` would put in its place. False at
   * the first byte outside ASCII (the stream is then to be refilled), or when the text, tags
   * replaced, is longer than `maxChars` (the general path then refuses it).
   */
  private tokenizeAsciiBytes(stream: TokenStream, length: number, maxChars: number): boolean {
    const { bytes, starts, ends, hashes } = stream;
    const lower = this.options.lowercase ? ASCII_LOWER : null;
    const stripHtml = this.options.stripHtml;
    // Writing never overtakes reading: a token's bytes move left, and the space after it takes the
    // place of at least one byte that ended it.
    let at = 0;
    let tokenStart = 0;
    let hash = 0;
    let count = 0;
    let analyzed = length;
    for (let i = 0; i <= length; i++) {
      const byte = i < length ? bytes[i] : 0x20;
      const kind = BYTE_CLASS[byte];
      if (kind === WORD) {
        const c = lower === null ? byte : lower[byte];
        if (at === tokenStart) hash = 0x811c9dc5;
        hash = Math.imul(hash ^ c, 0x01000193);
        bytes[at++] = c;
        continue;
      }
      if (kind === NON_ASCII) return false;
      if (kind === TAG_OPEN && stripHtml) {
        const close = tagClose(bytes, i + 1, length);
        if (close >= 0) {
          analyzed -= close - i;
          i = close;
        }
      }
      if (at === tokenStart) continue;
      if (
        at - tokenStart >= this.minTokenLength &&
        (this.stopWords === null || this.stopWords.lookup(bytes, tokenStart, at, hash >>> 0) < 0)
      ) {
        starts[count] = tokenStart;
        ends[count] = at;
        hashes[count] = hash >>> 0;
        count++;
        bytes[at++] = 0x20;
      } else {
        at = tokenStart;
      }
      tokenStart = at;
    }
    if (analyzed > maxChars) return false;
    stream.analyzedChars = analyzed;
    stream.count = count;
    return true;
  }

  private tokenizeText(doc: string, stream: TokenStream, maxChars: number): void {
    if (doc.length > maxChars) throw new AnalysisBudgetError(doc.length, maxChars);
    stream.analyzedChars = doc.length;
    // At most 3 bytes per UTF-16 unit, plus a space per token of at least two units.
    stream.reserve(doc.length * 4 + 4, (doc.length >>> 1) + 1);
    const bytes = stream.bytes;
    let length = 0;
    let tokenStart = 0;
    let runLength = 0;
    let count = 0;
    for (let i = 0; i <= doc.length; i++) {
      let codePoint = i < doc.length ? doc.charCodeAt(i) : 0x20;
      if (codePoint < 0x80 && ASCII_WORD[codePoint] === 1) {
        // The common case, kept free of calls.
        if (runLength === 0) tokenStart = length;
        runLength++;
        bytes[length++] = codePoint;
        continue;
      }
      if (codePoint >= 0xd800 && codePoint <= 0xdbff && i + 1 < doc.length) {
        const low = doc.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          codePoint = ((codePoint - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
          i++;
        }
      }
      if (isWordCodePoint(codePoint)) {
        if (runLength === 0) tokenStart = length;
        runLength++;
        length = writeUtf8(bytes, length, codePoint);
        continue;
      }
      if (runLength === 0) continue;
      if (
        runLength >= this.minTokenLength &&
        (this.stopWords === null || this.stopWords.lookup(bytes, tokenStart, length) < 0)
      ) {
        stream.starts[count] = tokenStart;
        stream.ends[count] = length;
        count++;
        bytes[length++] = 0x20;
      } else {
        length = tokenStart;
      }
      runLength = 0;
    }
    stream.count = count;
    for (let k = 0; k < count; k++) stream.hashes[k] = hashBytes(bytes, stream.starts[k], stream.ends[k]);
  }

  /** Calls `visit(start, end)` with the byte range of every n-gram of `stream`, in scikit-learn's order. */
  forEachNgram(stream: TokenStream, visit: (start: number, end: number) => void): void {
    const [minN, maxN] = this.options.ngramRange;
    const { starts, ends, count } = stream;
    for (let n = minN; n <= maxN; n++) {
      for (let i = 0; i + n <= count; i++) visit(starts[i], ends[i + n - 1]);
    }
  }

  /** The n-grams of `text` as strings (for tests and explanations; the hot path uses byte ranges). */
  analyze(text: string): string[] {
    const stream = new TokenStream();
    this.tokenize(text, stream);
    const decoder = new TextDecoder();
    const out: string[] = [];
    this.forEachNgram(stream, (start, end) => out.push(decoder.decode(stream.bytes.subarray(start, end))));
    return out;
  }
}

/**
 * Where the HTML tag whose `<` is just before `from` ends (its `>`), or -1 when a `<` or the end of
 * the text comes first: the matches of `HTML_TAG`.
 */
function tagClose(bytes: Uint8Array, from: number, length: number): number {
  for (let k = from; k < length; k++) {
    const byte = bytes[k];
    if (byte === 0x3e) return k;
    if (byte === 0x3c) return -1;
  }
  return -1;
}

function writeUtf8(bytes: Uint8Array, at: number, codePoint: number): number {
  if (codePoint < 0x80) {
    bytes[at] = codePoint;
    return at + 1;
  }
  if (codePoint < 0x800) {
    bytes[at] = 0xc0 | (codePoint >> 6);
    bytes[at + 1] = 0x80 | (codePoint & 0x3f);
    return at + 2;
  }
  if (codePoint < 0x10000) {
    bytes[at] = 0xe0 | (codePoint >> 12);
    bytes[at + 1] = 0x80 | ((codePoint >> 6) & 0x3f);
    bytes[at + 2] = 0x80 | (codePoint & 0x3f);
    return at + 3;
  }
  bytes[at] = 0xf0 | (codePoint >> 18);
  bytes[at + 1] = 0x80 | ((codePoint >> 12) & 0x3f);
  bytes[at + 2] = 0x80 | ((codePoint >> 6) & 0x3f);
  bytes[at + 3] = 0x80 | (codePoint & 0x3f);
  return at + 4;
}
