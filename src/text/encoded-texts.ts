/**
 * Texts as their UTF-8 bytes back to back: text `i` is `bytes[i === 0 ? 0 : ends[i - 1], ends[i])`.
 * How a counting thread is sent its documents: the two buffers move to it, where an array of strings
 * is copied and every string rebuilt on arrival (about 130 ms for 12,500 IMDb reviews, more than
 * encoding them takes), and most of them are tokenized from these bytes without ever being strings
 * (`Analyzer.tokenizeUtf8`).
 */
export interface EncodedTexts {
  readonly bytes: Uint8Array;
  readonly ends: Uint32Array;
}

/** Documents as strings or as their UTF-8 bytes. */
export type Texts = readonly string[] | EncodedTexts;

const encoder = new TextEncoder();

/** `texts` encoded as UTF-8 (a lone surrogate becomes U+FFFD, as `TextEncoder` writes it). */
export function encodeTexts(texts: readonly string[]): {
  bytes: Uint8Array<ArrayBuffer>;
  ends: Uint32Array<ArrayBuffer>;
} {
  // At most 3 bytes a UTF-16 unit; the pages past the end are never touched.
  const bytes = new Uint8Array(textUnits(texts) * 3);
  const ends = new Uint32Array(texts.length);
  let at = 0;
  for (let i = 0; i < texts.length; i++) {
    at += encoder.encodeInto(texts[i], bytes.subarray(at)).written;
    ends[i] = at;
  }
  return { bytes, ends };
}

/** How many documents `texts` holds. */
export function textCount(texts: Texts): number {
  return isEncoded(texts) ? texts.ends.length : texts.length;
}

/** Their size: UTF-16 units of strings, bytes of encoded texts (about as many for most text). */
export function textUnits(texts: Texts): number {
  if (isEncoded(texts)) return texts.ends.length === 0 ? 0 : texts.ends[texts.ends.length - 1];
  let units = 0;
  for (const text of texts) units += text.length;
  return units;
}

export function isEncoded(texts: Texts): texts is EncodedTexts {
  return !Array.isArray(texts);
}
