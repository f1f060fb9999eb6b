import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countingThreadsAhead, START_AHEAD_BYTES } from '../../src/cli/train.js';
import { seededRandom } from '../../src/training/split.js';
import { run } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'sentiment-cli-'));
const positive = [
  'a great film',
  'wonderful acting, loved it',
  'superb and moving',
  'great fun, loved every minute',
];
const negative = [
  'an awful film',
  'boring, hated it',
  'terrible acting and dull',
  'awful plot, a waste of time',
];
const rows = Array.from({ length: 10 }, (_, k) => [
  [`${positive[k % 4]} (${k})`, '1'],
  [`${negative[k % 4]} (${k})`, '0'],
]).flat();
const csv = join(dir, 'train.csv');
writeFileSync(csv, `text,label\n${rows.map(([t, l]) => `"${t}",${l}`).join('\n')}\n`);

describe('sentiment train', () => {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  beforeAll(() => {
    process.env.SOURCE_DATE_EPOCH = '1767225600';
  });
  afterAll(() => {
    if (epoch === undefined) delete process.env.SOURCE_DATE_EPOCH;
    else process.env.SOURCE_DATE_EPOCH = epoch;
  });

  it('writes the model, metrics.json, report.html and model-card.md', async () => {
    const out = join(dir, 'a');
    const result = await run(
      'train',
      '--data',
      csv,
      '--test',
      csv,
      '--out',
      out,
      '--preset',
      'seed',
      '--validation-split',
      '0.2',
    );
    expect(result.code).toBe(0);
    for (const file of ['model.sntm', 'metrics.json', 'report.html', 'model-card.md'])
      expect(existsSync(join(out, file))).toBe(true);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.test.accuracy).toBeGreaterThan(0.9);
    expect(metrics.validation.count).toBe(4);
    expect(metrics.data.train.documents).toBe(20);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<svg');
  });

  it('gives the same model, byte for byte, whether it counts on one thread or two', async () => {
    const words = [...positive, ...negative].join(' ').replace(/[(),]/g, '').split(' ');
    const random = seededRandom(7);
    const many = Array.from({ length: 4400 }, (_, k) => {
      const label = k % 2;
      const text = Array.from({ length: 12 }, () => words[Math.floor(random() * words.length)]);
      return `"${text.join(' ')} ${label ? positive[k % 4] : negative[k % 4]} doc${k % 50}",${label}`;
    });
    const big = join(dir, 'big.csv');
    writeFileSync(big, `text,label\n${many.join('\n')}\n`);
    const trainWith = (threads: string, out: string) =>
      run('train', '--data', big, '--out', join(dir, out), '--validation-split', '0', '--threads', threads);
    const [one, two] = [await trainWith('1', 't1'), await trainWith('2', 't2')];
    expect([one.code, two.code]).toEqual([0, 0]);
    expect(
      readFileSync(join(dir, 't1', 'model.sntm')).equals(readFileSync(join(dir, 't2', 'model.sntm'))),
    ).toBe(true);
  }, 120_000);

  it('refuses --threads 0', async () => {
    const result = await run('train', '--data', csv, '--out', join(dir, 't0'), '--threads', '0');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/--threads/);
  });

  it('is reproducible: the same data and options give a byte-identical model', async () => {
    const a = await run(
      'train',
      '--data',
      csv,
      '--out',
      join(dir, 'r1'),
      '--preset',
      'default',
      '--min-df',
      '1',
    );
    const b = await run(
      'train',
      '--data',
      csv,
      '--out',
      join(dir, 'r2'),
      '--preset',
      'default',
      '--min-df',
      '1',
    );
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(
      readFileSync(join(dir, 'r1', 'model.sntm')).equals(readFileSync(join(dir, 'r2', 'model.sntm'))),
    ).toBe(true);
  });

  it('predicts what it learned, one JSON object per input in order', async () => {
    const model = join(dir, 'a', 'model.sntm');
    const result = await run('predict', '--model', model, 'loved it, great', 'awful and boring');
    const lines = result.stdout.split('\n').map((line) => JSON.parse(line));
    expect(lines.map((l) => l.sentiment)).toEqual(['positive', 'negative']);
    const explained = await run('predict', '--model', model, '--explain', 'great but awful');
    expect(JSON.parse(explained.stdout).explanation.positive[0].ngram).toBe('great');
  });

  it('evaluates several sets at once, one row each, as a table, --json and an HTML report', async () => {
    const other = join(dir, 'other.jsonl');
    writeFileSync(
      other,
      [
        '{"text":"great, loved it","label":1}',
        '{"text":"awful, boring","label":0}',
        '{"text":"zzqx vvbn","label":1}',
      ]
        .map((l) => `${l}\n`)
        .join(''),
    );
    const model = join(dir, 'a', 'model.sntm');
    const report = join(dir, 'eval.html');
    const result = await run(
      'evaluate',
      '--model',
      model,
      '--data',
      csv,
      '--data',
      other,
      '--json',
      '--report',
      report,
    );
    expect(result.code).toBe(0);
    const { sets, modelVersion } = JSON.parse(result.stdout);
    expect(modelVersion).toMatch(/^[0-9a-f]{64}$/);
    expect(sets.map((s: { name: string }) => s.name)).toEqual(['train.csv', 'other.jsonl']);
    expect(sets[0].accuracy).toBeGreaterThan(0.9);
    expect(sets[1]).toMatchObject({ count: 3, accuracy: 2 / 3, abstained: 1, accuracyAnswered: 1 });
    expect(sets[1].actualPositiveRate).toBeCloseTo(2 / 3, 12);
    expect(readFileSync(report, 'utf8')).toContain('other.jsonl');
    const table = await run('evaluate', '--model', model, '--data', csv, '--data', other);
    expect(table.stdout).toMatch(/\| set \| reviews \| accuracy \| ROC AUC \| log loss \| ECE \|/);
    expect(table.stdout).toMatch(/\| other\.jsonl \| 3 \| 66\.67% \|/);
  });

  it('warns when evaluating a model on the data it was trained on', async () => {
    const result = await run('evaluate', '--model', join(dir, 'a', 'model.sntm'), '--data', csv);
    expect(result.stdout).toContain('warning: train.csv is the data this model was trained on');
    const json = await run('evaluate', '--model', join(dir, 'a', 'model.sntm'), '--data', csv, '--json');
    expect(JSON.parse(json.stdout).sets[0].trainingData).toBe(true);
  });

  it('says what a valid --validation-split is, and what a folder is read as', async () => {
    const split = await run('train', '--data', csv, '--validation-split', '1.5');
    expect(split.code).toBe(2);
    expect(split.stderr).toContain(
      '--validation-split: "1.5" is not a fraction from 0 (no validation) up to but not including 1',
    );
    const folder = await run('train', '--data', dir, '--out', join(dir, 'never'));
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain("a folder is read as Stanford's aclImdb layout");
  });

  it('fails with the file and line of a bad row, and leaves the previous model alone', async () => {
    const out = join(dir, 'a');
    const before = readFileSync(join(out, 'model.sntm'));
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'text,label\ngood film,1\nbad film,maybe\n');
    const result = await run('train', '--data', bad, '--out', out);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${bad}:3: unknown label "maybe"`);
    expect(readFileSync(join(out, 'model.sntm')).equals(before)).toBe(true);
  });

  it('keeps the previous model and its files when writing the new model fails (a file-size limit)', () => {
    // A vocabulary of thousands of made-up words: a model of hundreds of KB, its other files a few KB.
    const random = seededRandom(5);
    const word = () => Math.floor(random() * 1e9).toString(36);
    const lines = Array.from(
      { length: 1200 },
      (_, i) => `"${Array.from({ length: 12 }, word).join(' ')} ${i % 2 ? 'great' : 'awful'}",${i % 2}`,
    );
    const big = join(dir, 'big.csv');
    writeFileSync(big, `text,label\n${lines.join('\n')}\n`);
    const out = join(dir, 'limited');
    const cli = ['--import', 'tsx', fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url))];
    const first = spawnSync(
      process.execPath,
      [...cli, 'train', '--data', big, '--out', out, '--validation-split', '0', '--min-df', '1'],
      { encoding: 'utf8' },
    );
    expect(first.status, first.stderr).toBe(0);
    const before = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f))]));
    expect(before['model.sntm'].length).toBeGreaterThan(200_000);
    expect(before['report.html'].length).toBeLessThan(64 * 1024);
    // Files over 64 KB cannot be written (RLIMIT_FSIZE): the other files fit, the new model does not.
    const second = spawnSync(
      'bash',
      [
        '-c',
        'ulimit -f 128 && exec "$@"',
        'bash',
        process.execPath,
        ...cli,
        'train',
        '--data',
        big,
        '--out',
        out,
        '--validation-split',
        '0',
        '--min-df',
        '1',
        '--C',
        '1',
      ],
      { encoding: 'utf8' },
    );
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/cannot write .*model\.sntm \(EFBIG\)/);
    expect(second.stderr).toContain('nothing was replaced');
    const after = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f))]));
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const [name, bytes] of Object.entries(before)) expect(after[name].equals(bytes), name).toBe(true);
  }, 60_000);

  it('refuses one-class data and bad options with a message and a non-zero exit', async () => {
    const one = join(dir, 'one.csv');
    writeFileSync(one, 'text,label\ngood film,1\ngreat film,1\n');
    expect((await run('train', '--data', one)).stderr).toMatch(/only one class/);
    const usage = await run('train', '--data', csv, '--preset', 'fastest');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/unknown preset/);
    expect((await run('train', '--data', csv, '--C', '-1')).code).toBe(2);
  });

  it('refuses a model file that is not a model, by name', async () => {
    const result = await run('predict', '--model', csv, 'text');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${csv}: not a serverless-sentiment model file`);
  });

  it('prints help', async () => {
    expect((await run('--help')).stdout).toContain('Commands:');
    expect((await run('train', '--help')).stdout).toContain('--validation-split');
  });
});

describe('counting threads started ahead of reading (train)', () => {
  // Sparse files: their size is what counts, not their contents.
  const sized = (name: string, bytes: number) => {
    const path = join(dir, name);
    writeFileSync(path, '');
    truncateSync(path, bytes);
    return path;
  };

  it(`starts them for training files of ${START_AHEAD_BYTES} bytes or more in all, not below`, async () => {
    const half = START_AHEAD_BYTES / 2;
    expect(await countingThreadsAhead([sized('small.csv', START_AHEAD_BYTES - 1)], 3)).toBeUndefined();
    // A path that is not there counts for nothing here (reading it reports the error).
    expect(await countingThreadsAhead([join(dir, 'missing.csv')], 3)).toBeUndefined();
    const two = [sized('a.csv', half), sized('b.csv', half)];
    const ahead = await countingThreadsAhead(two, 3);
    try {
      // The calling thread counts a shard itself: two more for three threads.
      expect(ahead?.threadsStarted).toBe(2);
    } finally {
      ahead?.close();
    }
  });
});
