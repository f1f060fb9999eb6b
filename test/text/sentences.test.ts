import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/text/sentences.js';

describe('splitSentences', () => {
  it('splits at . ! ? before white space, at line breaks and at <br> tags, dropping short fragments', () => {
    const review =
      'A slow start, but the second half is wonderful. Why? I cannot say!<br /><br />The cast is superb throughout.\nTen out of ten, would watch again';
    expect(splitSentences(review)).toEqual([
      'A slow start, but the second half is wonderful.',
      'The cast is superb throughout.',
      'Ten out of ten, would watch again',
    ]);
  });

  it('keeps decimals and abbreviations without a following space together', () => {
    expect(splitSentences('It scored 7.5 on my list of great films.', 5)).toEqual([
      'It scored 7.5 on my list of great films.',
    ]);
  });

  it('takes the minimum length as an argument', () => {
    expect(splitSentences('Great. Awful. Fine.', 1)).toEqual(['Great.', 'Awful.', 'Fine.']);
    expect(splitSentences('Great. Awful. Fine.')).toEqual([]);
  });
});
