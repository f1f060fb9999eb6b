import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { predictCommand } from '../../src/cli/predict.js';
import { decodeModel } from '../../src/model/artifact.js';
import { run } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'sentiment-domains-'));
const positive = ['a great film', 'wonderful acting, loved it', 'superb and moving', 'great fun, loved it'];
const negative = ['an awful film', 'boring, hated it', 'terrible acting and dull', 'awful plot, a waste'];
const csvOf = (rows: Array<[string, string]>, header = 'text,label') =>
  `${header}\n${rows.map(([t, l]) => `"${t}",${l}`).join('\n')}\n`;
const rowsOf = (n: number, tag: string) =>
  Array.from({ length: n }, (_, k) => [
    [`${positive[k % 4]} ${tag}${k}`, '1'],
    [`${negative[k % 4]} ${tag}${k}`, '0'],
  ]).flat() as Array<[string, string]>;

const imdb = join(dir, 'imdb.csv');
const mine = join(dir, 'mine.csv');
const stars = join(dir, 'stars.csv');
const snippets = join(dir, 'snippets.jsonl');
writeFileSync(imdb, csvOf(rowsOf(10, 'i')));
writeFileSync(mine, csvOf(rowsOf(3, 'm')));
writeFileSync(
  stars,
  csvOf(
    [
      ['loved it, great', '5'],
      ['great film', '4'],
      ['it was fine i guess', '3'],
      ['boring', '2'],
      ['awful, hated it', '1'],
    ],
    'review,stars',
  ),
);
writeFileSync(
  snippets,
  '{"text":"great","label":1}\n{"text":"awful","label":0}\n{"text":"zzqx","label":0}\n',
);

describe('training on several sources and reporting other domains', () => {
  const out = join(dir, 'multi');
  beforeAll(async () => {
    const result = await run(
      'train',
      '--data',
      imdb,
      '--data',
      mine,
      '--weight',
      '1',
      '--weight',
      '2.5',
      '--eval',
      snippets,
      '--out',
      out,
      '--preset',
      'seed',
      '--validation-split',
      '0',
    );
    expect(result.code, result.stderr).toBe(0);
  });

  it('records each source with its count, weight and fingerprint, and the --eval sets', () => {
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(
      metrics.data.sources.map((s: { source: string; documents: number; weight: number }) => [
        s.source,
        s.documents,
        s.weight,
      ]),
    ).toEqual([
      ['imdb.csv', 20, 1],
      ['mine.csv', 6, 2.5],
    ]);
    expect(metrics.data.sources[0].fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(metrics.data.sources[0].fingerprint).not.toBe(metrics.data.sources[1].fingerprint);
    expect(metrics.data.train.documents).toBe(26);
    expect(metrics.domains).toHaveLength(1);
    expect(metrics.domains[0]).toMatchObject({ name: 'snippets.jsonl', count: 3, abstained: 1 });
    const card = readFileSync(join(out, 'model-card.md'), 'utf8');
    expect(card).toContain('mine.csv: 6 reviews (3 positive), weight 2.5');
    expect(card).toMatch(/## Other sets[\s\S]*\| snippets\.jsonl \| 3 \|/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('snippets.jsonl');
    const model = decodeModel(readFileSync(join(out, 'model.sntm')));
    expect((model.metadata.metrics as { domains: unknown[] }).domains).toHaveLength(1);
  });

  it('gives a source a weight that matters: the weighted fit differs from the unweighted one', async () => {
    const plain = join(dir, 'plain');
    await run(
      'train',
      '--data',
      imdb,
      '--data',
      mine,
      '--out',
      plain,
      '--preset',
      'seed',
      '--validation-split',
      '0',
    );
    const a = decodeModel(readFileSync(join(out, 'model.sntm')));
    const b = decodeModel(readFileSync(join(plain, 'model.sntm')));
    expect(a.parameters.weights).not.toEqual(b.parameters.weights);
  });

  it('refuses a --weight count that does not match the --data count', async () => {
    const result = await run(
      'train',
      '--data',
      imdb,
      '--data',
      mine,
      '--weight',
      '2',
      '--out',
      join(dir, 'x'),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('1 --weight for 2 --data');
  });

  it('maps star ratings to classes and counts the rows left out', async () => {
    const starOut = join(dir, 'stars');
    const result = await run(
      'train',
      '--data',
      stars,
      '--positive-labels',
      '4,5',
      '--negative-labels',
      '1,2',
      '--label-column',
      'stars',
      '--out',
      starOut,
      '--preset',
      'seed',
      '--validation-split',
      '0',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('left out 1 rows with other labels');
    const metrics = JSON.parse(readFileSync(join(starOut, 'metrics.json'), 'utf8'));
    expect(metrics.data.sources[0]).toMatchObject({ documents: 4, positive: 2, otherLabels: 1 });
    const half = await run('train', '--data', stars, '--positive-labels', '4,5', '--out', join(dir, 'y'));
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('go together');
  });
});

describe('sentiment calibrate', () => {
  const base = join(dir, 'base');
  beforeAll(async () => {
    await run('train', '--data', imdb, '--out', base, '--preset', 'seed', '--validation-split', '0');
  });

  it('writes a calibrated copy whose probabilities follow the sample, weights unchanged', async () => {
    // A domain where most texts are negative: "great film" is positive 2 times in 5, "a film" 1 in 10.
    const sample = join(dir, 'domain.csv');
    writeFileSync(
      sample,
      csvOf(
        Array.from({ length: 80 }, (_, i) =>
          i % 2 ? ['great film', i % 5 < 2 ? '1' : '0'] : ['a film', i % 20 === 0 ? '1' : '0'],
        ),
      ),
    );
    const calibrated = join(dir, 'calibrated.sntm');
    const result = await run(
      'calibrate',
      '--model',
      join(base, 'model.sntm'),
      '--data',
      sample,
      '--out',
      calibrated,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Platt scaling: slope [\d.-]+, intercept [\d.-]+/);
    const before = decodeModel(readFileSync(join(base, 'model.sntm')));
    const after = decodeModel(readFileSync(calibrated));
    expect(after.parameters.weights).toEqual(before.parameters.weights);
    expect(after.parameters.calibration?.method).toBe('platt');
    expect(after.predict('great film').probabilityPositive).toBeLessThan(
      before.predict('great film').probabilityPositive,
    );
    const predicted = await run('predict', '--model', calibrated, 'great film');
    expect(JSON.parse(predicted.stdout).probabilityPositive).toBeCloseTo(
      after.predict('great film').probabilityPositive,
      12,
    );
  });

  it('refuses a sample the model ranks the wrong way round', async () => {
    const reversed = join(dir, 'reversed.csv');
    writeFileSync(reversed, csvOf(rowsOf(30, 'r').map(([t, l]) => [t, l === '1' ? '0' : '1'])));
    const result = await run(
      'calibrate',
      '--model',
      join(base, 'model.sntm'),
      '--data',
      reversed,
      '--out',
      join(dir, 'r.sntm'),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('wrong way round');
  });

  it('refuses fewer than 50 rows by name, and leaves no file', async () => {
    const small = join(dir, 'small.csv');
    writeFileSync(small, csvOf(rowsOf(20, 's')));
    const out = join(dir, 'never.sntm');
    const result = await run('calibrate', '--model', join(base, 'model.sntm'), '--data', small, '--out', out);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('40 labelled rows; calibration needs at least 50');
    expect(() => readFileSync(out)).toThrow();
  });
});

describe('sentiment predict', () => {
  const base = join(dir, 'p');
  beforeAll(async () => {
    await run('train', '--data', imdb, '--out', base, '--preset', 'seed', '--validation-split', '0');
  });
  const predictLines = async (input: string, ...argv: string[]) => {
    const out: string[] = [];
    const warnings: string[] = [];
    await predictCommand(
      ['--model', join(base, 'model.sntm'), ...argv],
      (line) => out.push(line),
      Readable.from([input]),
      (line) => warnings.push(line),
    );
    return { out: out.map((l) => JSON.parse(l)), warnings };
  };

  it('answers every stdin line with the contract fields and skips blank lines with a warning', async () => {
    const { out, warnings } = await predictLines('great film\n\n   \nawful plot\n');
    expect(out.map((p) => p.sentiment)).toEqual(['positive', 'negative']);
    for (const p of out)
      expect(Object.keys(p).sort()).toEqual([
        'abstained',
        'confidence',
        'coverage',
        'priorOnly',
        'probabilityPositive',
        'sentiment',
      ]);
    expect(warnings).toContain('predict: skipped blank line 2');
    expect(warnings).toContain('predict: skipped blank line 3');
  });

  it('says "unknown" for gibberish with --abstain or ABSTAIN=true, and not otherwise', async () => {
    expect((await predictLines('zzqx vvbn\n')).out[0]).toMatchObject({ abstained: true, priorOnly: true });
    expect((await predictLines('zzqx vvbn\n')).out[0].sentiment).not.toBe('unknown');
    expect((await predictLines('zzqx vvbn\n', '--abstain')).out[0].sentiment).toBe('unknown');
    process.env.ABSTAIN = 'true';
    try {
      expect((await predictLines('zzqx vvbn\ngreat film\n')).out.map((p) => p.sentiment)).toEqual([
        'unknown',
        'positive',
      ]);
    } finally {
      delete process.env.ABSTAIN;
    }
  });
});
