import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CsvParser, type CsvRecord } from '../../src/data/csv.js';
import { FILE_CHUNK, readCsvDataset } from '../../src/data/csv-dataset.js';
import { DatasetError } from '../../src/data/errors.js';

function parse(chunks: string[]): CsvRecord[] {
  const parser = new CsvParser();
  const records: CsvRecord[] = [];
  for (const chunk of chunks) parser.push(chunk, (r) => records.push(r));
  parser.end((r) => records.push(r));
  return records;
}

describe('CsvParser (RFC 4180)', () => {
  const text = 'text,label\n"Hello, ""world""",1\r\n"two\nlines",0\nplain,pos';

  it('parses quotes, doubled quotes, embedded commas and line breaks, CRLF and a missing final newline', () => {
    expect(parse([text]).map((r) => r.fields)).toEqual([
      ['text', 'label'],
      ['Hello, "world"', '1'],
      ['two\nlines', '0'],
      ['plain', 'pos'],
    ]);
  });

  it('gives the same records however the input is chunked', () => {
    const whole = parse([text]);
    for (let size = 1; size < 8; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      expect(parse(chunks)).toEqual(whole);
    }
  });

  it('reads random quoted fields back exactly, with their lines, in any chunking', () => {
    let seed = 7;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const pieces = ['a', 'word ', ',', '"', '""', '\n', '\r\n', 'é', ' '];
    const records: string[][] = [];
    for (let r = 0; r < 300; r++) {
      const fields: string[] = [];
      for (let f = 0, n = 1 + Math.floor(random() * 3); f < n; f++) {
        let field = '';
        for (let k = Math.floor(random() * 12); k > 0; k--)
          field += pieces[Math.floor(random() * pieces.length)];
        fields.push(field === '' ? 'x' : field);
      }
      records.push(fields);
    }
    const quote = (field: string) => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field);
    const lines: number[] = [];
    let line = 1;
    let text = '';
    for (const fields of records) {
      lines.push(line);
      const row = `${fields.map(quote).join(',')}\n`;
      line += row.split('\n').length - 1;
      text += row;
    }
    for (const size of [1, 2, 3, 7, 64, 1000, text.length]) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      const parsed = parse(chunks);
      expect(parsed.map((r) => r.fields)).toEqual(records);
      expect(parsed.map((r) => r.line)).toEqual(lines);
    }
  });

  it('reports the line a record starts on', () => {
    expect(parse([text]).map((r) => r.line)).toEqual([1, 2, 3, 5]);
  });

  it('rejects stray quotes and unclosed quoted fields with their line', () => {
    expect(() => parse(['a,b\nx"y,1\n'])).toThrow(/quote inside an unquoted field/);
    expect(() => parse(['a,b\n"x"y,1\n'])).toThrow(/after a closing quote/);
    expect(() => parse(['a,b\n"never closed,1\n'])).toThrow(/never closed/);
  });

  it('names the line where the bad field starts, not where the problem is noticed', () => {
    const lineOf = (text: string) => {
      try {
        parse([text]);
      } catch (error) {
        return (error as { line: number }).line;
      }
      return null;
    };
    // A quoted field opened on line 3 and never closed: noticed at the end of line 6.
    expect(lineOf('a,b\nok,1\n"opened here\nand\nmore\nlines,1\n')).toBe(3);
    // A quoted field over lines 2-4 with junk after its closing quote on line 4.
    expect(lineOf('a,b\n"one\ntwo\nthree"junk,1\n')).toBe(2);
    // A second field that starts on line 3, inside a record that starts on line 2.
    expect(lineOf('a,b\n"multi\nline",x"y\n')).toBe(3);
  });
});

describe('readCsvDataset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'csv-dataset-'));
  const write = (name: string, content: string | Buffer) => {
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  };

  it('reads the Kaggle text,label layout, gzipped or not', async () => {
    const csv = 'text,label\n"Great, really",1\nBad,0\n';
    for (const file of [write('plain.csv', csv), write('packed.csv.gz', gzipSync(csv))]) {
      const dataset = await readCsvDataset(file);
      expect(dataset.texts).toEqual(['Great, really', 'Bad']);
      expect(Array.from(dataset.labels)).toEqual([1, 0]);
    }
  });

  it('reads the review,sentiment layout with positive/negative labels in any case', async () => {
    const file = write('kaggle50k.csv', 'review,sentiment\nLoved it,Positive\nHated it,NEGATIVE\n');
    expect(Array.from((await readCsvDataset(file)).labels)).toEqual([1, 0]);
  });

  it('uses named columns when given', async () => {
    const file = write('named.csv', 'id,body,stars\n1,Fine,pos\n');
    const dataset = await readCsvDataset(file, { textColumn: 'body', labelColumn: 'stars' });
    expect(dataset.texts).toEqual(['Fine']);
  });

  it('names the file and line of a bad row, or skips and counts it with skipInvalid', async () => {
    const file = write('bad.csv', 'text,label\nGood,1\nOdd,maybe\n,0\nFine,0\n');
    await expect(readCsvDataset(file)).rejects.toThrow(`${file}:3: unknown label "maybe"`);
    const dataset = await readCsvDataset(file, { skipInvalid: true });
    expect(dataset.texts).toEqual(['Good', 'Fine']);
    expect(dataset.skipped).toBe(2);
  });

  it('names the line of bytes that are not UTF-8 (gzipped too), or skips and counts their rows', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('text,label\nGood film,1\n"A long\nreview, caf'),
      Buffer.from([0xe9]),
      Buffer.from(' scene",0\nFine,0\n'),
    ]);
    const file = write('latin1.csv', latin1);
    await expect(readCsvDataset(file)).rejects.toThrow(`${file}:4: is not valid UTF-8 (byte 0xe9)`);
    await expect(readCsvDataset(write('latin1.csv.gz', gzipSync(latin1)))).rejects.toThrow(
      /\.csv\.gz:4: is not valid UTF-8/,
    );
    const skipped = await readCsvDataset(file, { skipInvalid: true });
    expect(skipped.texts).toEqual(['Good film', 'Fine']);
    expect(skipped.skipped).toBe(1);
    // Valid multi-byte characters are never taken for bad ones, wherever a chunk boundary cuts them.
    // Here the reader's first chunk ends two bytes into the emoji.
    const header = 'text,label\n';
    const filler = `${'a'.repeat(FILE_CHUNK - 3 - header.length - 3)},1\n`;
    const big = write('big.csv', `${header}${filler}"😀 très bien",1\n${'"好 film",0\n'.repeat(10)}`);
    expect(readFileSync(big).subarray(FILE_CHUNK - 2, FILE_CHUNK + 2)).toEqual(Buffer.from('😀'));
    const read = await readCsvDataset(big);
    expect(read.texts).toHaveLength(12);
    expect(read.texts[1]).toBe('😀 très bien');
    expect(read.texts[11]).toBe('好 film');
  });

  it('refuses a missing column, an empty file and a missing file by name', async () => {
    await expect(readCsvDataset(write('nocol.csv', 'a,b\n1,2\n'))).rejects.toThrow(/no text column/);
    await expect(readCsvDataset(write('empty.csv', ''))).rejects.toThrow(/empty/);
    await expect(readCsvDataset(join(dir, 'absent.csv'))).rejects.toBeInstanceOf(DatasetError);
  });
});
