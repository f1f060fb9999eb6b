import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scoreFile } from '../../src/batch/score-file.js';
import { progressReporter, rateAndEta } from '../../src/cli/progress.js';
import { FILE_CHUNK } from '../../src/data/csv-dataset.js';
import { DatasetError } from '../../src/data/errors.js';
import { DEFAULT_ABSTENTION } from '../../src/model/prediction.js';
import { run } from '../cli/run.js';
import { tinyModel } from '../model/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'score-file-'));
const model = tinyModel();
const reviews = Array.from({ length: 40 }, (_, i) => ({
  id: `r${i}`,
  product: i % 2 ? 'dvd' : 'stream',
  review: i === 7 ? '' : i % 3 ? `a great film, truly great acting ${i}` : `awful, boring plot ${i}`,
  label: i % 3 ? 1 : 0,
}));
const csv = join(dir, 'reviews.csv');
writeFileSync(
  csv,
  `id,product,review,label\n${reviews.map((r) => `${r.id},${r.product},"${r.review}",${r.label}`).join('\n')}\n`,
);
const jsonl = join(dir, 'reviews.jsonl');
writeFileSync(jsonl, `${reviews.map((r) => JSON.stringify(r)).join('\n')}\n`);

describe('scoring a file (sentiment predict --data --out)', () => {
  it('writes one row per input row in order: kept columns, then the prediction contract', async () => {
    const out = join(dir, 'out.csv');
    const summary = await scoreFile({
      model,
      input: csv,
      output: out,
      keep: ['id', 'product'],
      policy: DEFAULT_ABSTENTION,
    });
    expect(summary).toMatchObject({ rows: 40, scored: 39, errors: 1, labelled: 39 });
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(
      'id,product,sentiment,confidence,probabilityPositive,coverage,abstained,priorOnly,error',
    );
    expect(lines).toHaveLength(41);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(reviews.map((r) => r.id));
    expect(lines[1]).toMatch(/^r0,stream,negative,0\.\d+,0\.\d+,[\d.]+,(true|false),false,$/);
    expect(lines[8]).toBe('r7,dvd,,,,,,,empty_review');
    expect(summary.accuracy).toBe(1);
  });

  it('gives the same file with 3 threads and tiny batches as on one thread', async () => {
    const one = join(dir, 'one.jsonl');
    const three = join(dir, 'three.jsonl');
    await scoreFile({
      model,
      input: jsonl,
      output: one,
      keep: ['id'],
      policy: DEFAULT_ABSTENTION,
      workers: 1,
    });
    const summary = await scoreFile({
      model,
      input: jsonl,
      output: three,
      keep: ['id'],
      policy: DEFAULT_ABSTENTION,
      workers: 3,
      batchSize: 4,
    });
    expect(summary.workers).toBe(3);
    expect(readFileSync(three, 'utf8')).toBe(readFileSync(one, 'utf8'));
    const first = JSON.parse(readFileSync(one, 'utf8').split('\n')[0]);
    expect(Object.keys(first)).toEqual([
      'id',
      'sentiment',
      'confidence',
      'probabilityPositive',
      'coverage',
      'abstained',
      'priorOnly',
    ]);
  }, 30_000);

  it('keeps the previous output when the input turns out malformed half way, and names the line', async () => {
    const out = join(dir, 'kept.csv');
    writeFileSync(out, 'previous results\n');
    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      `id,review\n${Array.from({ length: 30 }, (_, i) => `${i},great`).join('\n')}\n31,great,extra\n`,
    );
    const error = await scoreFile({
      model,
      input: bad,
      output: out,
      policy: DEFAULT_ABSTENTION,
      batchSize: 5,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect(error.message).toContain('bad.csv:32');
    expect(readFileSync(out, 'utf8')).toBe('previous results\n');
  });

  it('refuses an unknown --keep column and an output format it cannot write', async () => {
    await expect(
      scoreFile({ model, input: csv, output: join(dir, 'x.csv'), keep: ['sku'], policy: DEFAULT_ABSTENTION }),
    ).rejects.toThrow(/--keep sku: no such column/);
    await expect(
      scoreFile({ model, input: csv, output: join(dir, 'x.parquet'), policy: DEFAULT_ABSTENTION }),
    ).rejects.toThrow(/write \.csv or \.jsonl/);
  });

  it('works from the command line, printing the rate and the accuracy', async () => {
    const modelFile = join(dir, 'model.sntm');
    const { encodeModel } = await import('../../src/model/artifact.js');
    writeFileSync(modelFile, encodeModel(model));
    const out = join(dir, 'cli.csv');
    const result = await run(
      'predict',
      '--model',
      modelFile,
      '--data',
      csv,
      '--out',
      out,
      '--keep',
      'id',
      '--workers',
      '1',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /scored 39 of 40 rows into .*cli\.csv in [\d.]+ s \(\d+ reviews\/s, 1 thread\); 1 rows had no text/,
    );
    expect(result.stderr).toContain('accuracy 100.00% on 39 labelled rows');
    const half = await run('predict', '--model', modelFile, '--data', csv);
    expect(half.code).toBe(2);
  });
});

describe('progress while scoring a file', () => {
  it('reports rows and the share of the file read, rising to 1, gzip or not', async () => {
    const { gzipSync } = await import('node:zlib');
    const big = join(dir, 'big.csv');
    // Words that gzip cannot squeeze much: the .gz spans several of the reader's chunks.
    const word = (i: number, k: number) => (Math.imul(i + k * 7919, 2654435761) >>> 0).toString(36);
    const review = (i: number) =>
      `a great film ${[1, 2, 3, 4].map((k) => word(i, k)).join(' ')}, truly moving`;
    const text = `id,review\n${Array.from({ length: 60_000 }, (_, i) => `${i},"${review(i)}"`).join('\n')}\n`;
    writeFileSync(big, text);
    writeFileSync(`${big}.gz`, gzipSync(text));
    for (const input of [big, `${big}.gz`]) {
      const seen: Array<[number, number]> = [];
      await scoreFile({
        model,
        input,
        output: join(dir, 'big-out.jsonl'),
        policy: DEFAULT_ABSTENTION,
        batchSize: 1000,
        onProgress: (rows, fraction) => seen.push([rows, fraction]),
      });
      expect(seen.length).toBeGreaterThan(3);
      expect(seen.at(-1)).toEqual([60_000, 1]);
      for (let i = 1; i < seen.length; i++) {
        expect(seen[i][0]).toBeGreaterThan(seen[i - 1][0]);
        expect(seen[i][1]).toBeGreaterThanOrEqual(seen[i - 1][1]);
      }
      expect(seen[0][1]).toBeLessThan(1);
    }
    expect(gzipSync(text).length).toBeGreaterThan(FILE_CHUNK);
  });

  it('draws a bar with the rate and the time left on a terminal, plain lines elsewhere', () => {
    const written: string[] = [];
    const tty = { isTTY: true, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    const bar = progressReporter('scoring', tty);
    bar.update(25, 100, '%', rateAndEta(50_000, 0.25, 10));
    expect(written.at(-1)).toContain('[########......................] 25% ');
    expect(written.at(-1)).toContain('50,000 reviews, 5,000/s, 30s left');
    expect(rateAndEta(1_000, 0.1, 20)).toContain('3m 00s left');
    expect(rateAndEta(1_000, 1, 20)).not.toContain('left');
    const plain: string[] = [];
    const log = progressReporter('scoring', {
      isTTY: false,
      write: (s: string) => plain.push(s),
    } as unknown as NodeJS.WriteStream);
    for (let p = 0; p <= 100; p += 5) log.update(p, 100, '%');
    expect(plain).toHaveLength(11);
  });
});
