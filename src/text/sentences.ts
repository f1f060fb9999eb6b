/**
 * Splits a review into its sentences: at `.`, `!` or `?` followed by white space, at line breaks and
 * at HTML `<br>` tags. Sentences shorter than `minChars` (after trimming) are dropped: fragments such
 * as "10/10." or "Why?" carry too little to learn from on their own.
 */
export function splitSentences(text: string, minChars = 20): string[] {
  const out: string[] = [];
  for (const part of text.split(SENTENCE_BREAK)) {
    const sentence = part.trim();
    if (sentence.length >= minChars) out.push(sentence);
  }
  return out;
}

const SENTENCE_BREAK = /(?<=[.!?])\s+|<br\s*\/?>|[\r\n]+/i;
