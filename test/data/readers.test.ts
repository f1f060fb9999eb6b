import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readDataset } from '../../src/data/read.js';
import { makeTarGz, miniAclImdb } from '../support/tar-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'readers-'));
const write = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
};

describe('readDataset', () => {
  it('reads the Stanford aclImdb_v1.tar.gz in place, train or test split, skipping unsup', async () => {
    const archive = write('aclImdb_v1.tar.gz', makeTarGz(miniAclImdb()));
    const train = await readDataset(archive);
    expect(train.texts).toEqual([
      'Awful, boring film.',
      'Terrible acting, hated it.',
      'A great film, loved it.<br /><br />Superb.',
      'Wonderful and moving.',
    ]);
    expect(Array.from(train.labels)).toEqual([0, 0, 1, 1]);
    const test = await readDataset(archive, { split: 'test' });
    expect(test.texts).toEqual(['A waste of time.', 'Loved every minute.']);
  });

  it('reads an extracted aclImdb folder the same way as the archive', async () => {
    for (const [path, content] of Object.entries(miniAclImdb())) write(join('extracted', path), content);
    const fromFolder = await readDataset(join(dir, 'extracted', 'aclImdb'));
    const fromParent = await readDataset(join(dir, 'extracted'));
    const fromArchive = await readDataset(write('again.tar.gz', makeTarGz(miniAclImdb())));
    expect(fromFolder.texts).toEqual(fromArchive.texts);
    expect(fromParent.texts).toEqual(fromArchive.texts);
  });

  it('refuses a truncated archive by name', async () => {
    const whole = makeTarGz(miniAclImdb());
    const cut = write('cut.tar.gz', whole.subarray(0, whole.length >> 1));
    await expect(readDataset(cut)).rejects.toThrow(`${cut}: cannot read the archive`);
  });

  it('reads JSON Lines, gzipped or not, naming the line of a bad row', async () => {
    const lines = '{"text": "great", "label": 1}\n{"text": "awful", "label": "neg"}\n';
    expect(Array.from((await readDataset(write('a.jsonl', lines))).labels)).toEqual([1, 0]);
    expect((await readDataset(write('a.jsonl.gz', gzipSync(lines)))).texts).toEqual(['great', 'awful']);
    const bad = write('bad.jsonl', `${lines}{"text": "x", "label": 1\n`);
    await expect(readDataset(bad)).rejects.toThrow(`${bad}:3: not valid JSON`);
    const wrongType = write('wrong.jsonl', `${lines}{"text": 5, "label": 1}\n`);
    await expect(readDataset(wrongType)).rejects.toThrow(`${wrongType}:3: no string "text"`);
    expect((await readDataset(bad, { skipInvalid: true })).skipped).toBe(1);
  });

  it('names the JSON Lines line whose text is not UTF-8, or skips and counts it', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"text": "great", "label": 1}\n{"text": "na'),
      Buffer.from([0xef, 0xbc]),
      Buffer.from('ve", "label": 0}\n{"text": "awful", "label": 0}\n'),
    ]);
    const file = write('bad-utf8.jsonl', bytes);
    await expect(readDataset(file)).rejects.toThrow(`${file}:2: is not valid UTF-8`);
    const skipped = await readDataset(file, { skipInvalid: true });
    expect(skipped.texts).toEqual(['great', 'awful']);
    expect(skipped.skipped).toBe(1);
  });

  it('refuses a dataset with one class', async () => {
    await expect(readDataset(write('one.jsonl', '{"text": "great", "label": 1}\n'))).rejects.toThrow(
      /only one class/,
    );
  });
});
