import { describe, expect, it } from 'vitest';
import { TokenStream } from '../../src/text/analyzer.js';
import { hashBytes, TermTable } from '../../src/text/term-table.js';
import { TokenTable } from '../../src/text/token-table.js';

const encoder = new TextEncoder();

/** A stream holding `tokens` as the analyzer leaves them: bytes joined by spaces, each hashed. */
function streamOf(tokens: readonly string[], slack = 64): TokenStream {
  const stream = new TokenStream();
  const bytes = encoder.encode(tokens.join(' '));
  // `slack` bytes after the text: 0 puts the last tokens' first 8 bytes past the buffer's end.
  stream.bytes = new Uint8Array(bytes.length + slack).fill(0x7a);
  stream.bytes.set(bytes);
  stream.starts = new Uint32Array(tokens.length);
  stream.ends = new Uint32Array(tokens.length);
  stream.hashes = new Uint32Array(tokens.length);
  let at = 0;
  tokens.forEach((token, i) => {
    const length = encoder.encode(token).length;
    stream.starts[i] = at;
    stream.ends[i] = at + length;
    stream.hashes[i] = hashBytes(stream.bytes, at, at + length);
    at += length + 1;
  });
  stream.count = tokens.length;
  return stream;
}

describe('TokenTable', () => {
  it('numbers tokens in order of first appearance, as TermTable does, however long or alike', () => {
    const tokens = [
      'a',
      'ab',
      'abc',
      'abcd',
      'abcde',
      'abcdefgh',
      'abcdefghi',
      'abcdefghj',
      'abcdefghij',
      'abcdefgh',
      'abcdefghijklmnopqrstu',
      'abcdefghijklmnopqrstv',
      'b',
      'ba',
      'aa',
      'a',
      'é',
      'éé',
      'ééééé',
      'abcdefghi',
      'é',
      // The last 8 bytes: read one by one when nothing follows the text; else what follows the last
      // token is not a space.
      'abcde',
      'abc',
    ];
    const orders = [tokens, [...tokens.slice(0, -2), 'abc', 'abcde']];
    for (const [order, slack] of orders.flatMap((order) => [64, 0].map((slack) => [order, slack] as const))) {
      const stream = streamOf(order, slack);
      const table = new TokenTable(4);
      const reference = new TermTable(4);
      for (let i = 0; i < stream.count; i++) {
        const expected = reference.intern(stream.bytes, stream.starts[i], stream.ends[i]);
        expect(table.intern(stream, i), `${order[i]} (slack ${slack})`).toBe(expected);
      }
      expect(table.size).toBe(reference.size);
    }
  });

  it('keeps every id through growing to many thousands of tokens', () => {
    // Many share their first 8 bytes and their length: only the bytes after tell them apart.
    const tokens = Array.from(
      { length: 20_000 },
      (_, i) => `${i % 3 === 0 ? 'abcdefgh' : 't'}${(i * 7919) % 20_000}`,
    );
    const stream = streamOf([...tokens, ...tokens.toReversed()]);
    const table = new TokenTable(16);
    const reference = new TermTable(16);
    const ids = Array.from({ length: stream.count }, (_, i) => table.intern(stream, i));
    const expected = Array.from({ length: stream.count }, (_, i) =>
      reference.intern(stream.bytes, stream.starts[i], stream.ends[i]),
    );
    expect(ids).toEqual(expected);
    expect(table.size).toBe(20_000);
  });
});
