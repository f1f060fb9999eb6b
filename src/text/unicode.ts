import { COMBINING_RANGES, WORD_RANGES } from './tables.js';

function inRanges(ranges: Uint32Array, codePoint: number): boolean {
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (codePoint < ranges[2 * mid]) hi = mid - 1;
    else if (codePoint > ranges[2 * mid + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}

const UNKNOWN = 0;
const WORD = 1;
const NOT_WORD = 2;
/** Memo of the BMP's word classes, filled on first sight so that cold start pays nothing. */
const bmpClass = new Uint8Array(0x10000);
for (let c = 0; c < 0x80; c++) {
  const word = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  bmpClass[c] = word ? WORD : NOT_WORD;
}

/** True when Python's `re` matches the code point with `\w` (`str.isalnum()` or `_`). */
export function isWordCodePoint(codePoint: number): boolean {
  if (codePoint < 0x10000) {
    const known = bmpClass[codePoint];
    if (known !== UNKNOWN) return known === WORD;
    const word = inRanges(WORD_RANGES, codePoint);
    bmpClass[codePoint] = word ? WORD : NOT_WORD;
    return word;
  }
  return inRanges(WORD_RANGES, codePoint);
}

/** True when `unicodedata.combining()` is non-zero for the code point. */
export function isCombiningCodePoint(codePoint: number): boolean {
  return codePoint >= 0x300 && inRanges(COMBINING_RANGES, codePoint);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching every non-ASCII character is the point
const NON_ASCII = /[^\x00-\x7f]/;

/** Memo of the BMP's combining classes (0 unknown, 1 combining, 2 not), filled on first sight. */
const bmpCombining = new Uint8Array(0x10000);

/** scikit-learn's `strip_accents_unicode`: NFKD, then drop combining characters. */
export function stripAccentsUnicode(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  const decomposed = text.normalize('NFKD');
  let out = '';
  let runStart = 0;
  for (let i = 0; i < decomposed.length; i++) {
    const unit = decomposed.charCodeAt(i);
    if (unit < 0x300) continue;
    let drop: boolean;
    let width = 1;
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < decomposed.length) {
      drop = isCombiningCodePoint(decomposed.codePointAt(i)!);
      width = 2;
    } else {
      let known = bmpCombining[unit];
      if (known === 0) bmpCombining[unit] = known = isCombiningCodePoint(unit) ? 1 : 2;
      drop = known === 1;
    }
    if (drop) {
      out += decomposed.slice(runStart, i);
      runStart = i + width;
    }
    i += width - 1;
  }
  return runStart === 0 ? decomposed : out + decomposed.slice(runStart);
}

/** scikit-learn's `strip_accents_ascii`: NFKD, then drop every character outside ASCII. */
export function stripAccentsAscii(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: see NON_ASCII
  return text.normalize('NFKD').replace(/[^\x00-\x7f]+/g, '');
}
