import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sniffDelimiter } from '../../src/data/csv-dataset.js';
import { DatasetError } from '../../src/data/errors.js';
import { readDataset } from '../../src/data/read.js';
import { importSklearn } from '../../src/model/import-sklearn.js';

const dir = mkdtempSync(join(tmpdir(), 'formats-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const failure = async (path: string) => {
  try {
    await readDataset(path);
  } catch (error) {
    if (error instanceof DatasetError) return error;
    throw error;
  }
  throw new Error('read without error');
};

describe('data formats a user actually has', () => {
  it('sniffs comma, semicolon and tab delimiters from the header', async () => {
    expect(sniffDelimiter('text;label')).toEqual({ delimiter: ';', name: 'semicolon' });
    expect(sniffDelimiter('text\tlabel')).toEqual({ delimiter: '\t', name: 'tab' });
    expect(sniffDelimiter('text,label')).toEqual({ delimiter: ',', name: 'comma' });
    const semicolon = await readDataset(
      file('s.csv', 'review;sentiment\n"great, really";positive\nawful;negative\n'),
    );
    expect(semicolon.texts).toEqual(['great, really', 'awful']);
    const tab = await readDataset(file('t.tsv', 'text\tlabel\ngreat film\t1\nawful film\t0\n'));
    expect(Array.from(tab.labels)).toEqual([1, 0]);
  });

  it('names the delimiter when a row has the wrong number of fields', async () => {
    const error = await failure(file('bad.csv', 'text;label\ngreat;1;extra\n'));
    expect(error.message).toContain(
      'bad.csv:2: expected 2 semicolon-separated fields as in the header, found 3',
    );
  });

  it('recognises a file without a header row, and quotes at most 40 characters of it', async () => {
    const review = `${'a long review that goes on '.repeat(40)}`;
    const error = await failure(file('headerless.csv', `"${review}",1\n"another one",0\n`));
    expect(error.message).toContain('has no header row: its first line is data');
    expect(error.message.length).toBeLessThan(200);
    expect(error.hint).toContain('text,label');
  });

  it('refuses a JSON array by name, with the way to JSON Lines', async () => {
    const error = await failure(file('reviews.json', '[{"text": "great", "label": 1}]'));
    expect(error.message).toContain('is JSON, not CSV');
    expect(error.hint).toContain('.jsonl');
  });

  it('detects JSON Lines keys as CSV columns are detected, and says which are missing', async () => {
    const detected = await readDataset(
      file(
        'r.jsonl',
        '{"review": "great", "sentiment": "positive"}\n{"review": "awful", "sentiment": "negative"}\n',
      ),
    );
    expect(detected.texts).toEqual(['great', 'awful']);
    const error = await failure(file('odd.jsonl', '{"body_text": "great", "stars": 5}\n'));
    expect(error.message).toContain('no text key among body_text, stars');
    expect(error.hint).toContain('--text-column');
  });

  it('lists the accepted labels when one is unknown', async () => {
    const error = await failure(file('labels.csv', 'text,label\ngreat,1\nmeh,maybe\n'));
    expect(error.message).toContain('unknown label "maybe" (accepted: 1/0, pos/neg, positive/negative');
    expect(error.message).toContain('--positive-labels');
  });

  it('summarises a bad scikit-learn export in at most five issues on one line', () => {
    try {
      importSklearn({ vocabulary: 'no', idf: 1, coef: null, a: 1, b: 2, c: 3 });
      throw new Error('imported');
    } catch (error) {
      const message = (error as Error).message;
      expect(message.split('\n')).toHaveLength(1);
      expect(message.split('; ').length).toBeLessThanOrEqual(6);
      expect(message).toMatch(/^not a scikit-learn export: /);
    }
  });
});
