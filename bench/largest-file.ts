/**
 * The largest file scored locally: the IMDb test reviews repeated to --rows rows (a CSV with an id
 * column), scored by `sentiment predict --data --out` on all cores as a fresh process. Records the
 * input size, wall time, reviews/s and the peak RSS (/usr/bin/time), to show memory stays flat.
 *
 * Run: npm run build && IMDB_DIR=<folder> npx tsx bench/largest-file.ts <model.sntm> [--rows 1000000]
 * Writes bench/results/largest-file.json and .md (the generated files are deleted afterwards).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { csvCell } from '../src/batch/score-file.js';
import { readDataset } from '../src/data/read.js';
import { gitCommit } from './meta.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rows: { type: 'string', default: '1000000' } },
});
const [modelFile] = positionals;
const imdb = process.env.IMDB_DIR;
if (!modelFile || !imdb)
  throw new Error('usage: IMDB_DIR=<folder> bench/largest-file.ts <model.sntm> [--rows n]');
const rows = Number(values.rows);
const work = mkdtempSync(join(tmpdir(), 'largest-'));
const input = join(work, 'reviews.csv');
const output = join(work, 'scored.csv');
try {
  const test = await readDataset(join(imdb, 'test.csv.gz'));
  const out = createWriteStream(input);
  out.write('id,review,label\n');
  for (let i = 0; i < rows; i++) {
    const k = i % test.texts.length;
    if (!out.write(`${i},${csvCell(test.texts[k])},${test.labels[k]}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const inputBytes = statSync(input).size;
  const root = new URL('..', import.meta.url).pathname;
  const started = performance.now();
  const result = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      '%M',
      process.execPath,
      join(root, 'dist/cli/bin.js'),
      'predict',
      '--model',
      modelFile,
      '--data',
      input,
      '--out',
      output,
      '--keep',
      'id',
    ],
    { encoding: 'utf8' },
  );
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(result.stderr);
  const peakRssMb = Math.round(Number(result.stderr.trim().split('\n').pop()) / 1024);
  const lines = Number(execFileSync('wc', ['-l', output], { encoding: 'utf8' }).trim().split(' ')[0]) - 1;
  const record = {
    benchmark: 'largest-file',
    commit: gitCommit(),
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: availableParallelism(),
    rows,
    inputMb: Math.round(inputBytes / 1e6),
    outputRows: lines,
    seconds: Math.round(seconds * 10) / 10,
    reviewsPerSecond: Math.round(rows / seconds),
    peakRssMb,
    summary: result.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('scored') || l.startsWith('accuracy'))
      .map((l) => l.replace(output, 'scored.csv')),
  };
  console.log(JSON.stringify(record));
  writeFileSync(
    new URL('./results/largest-file.json', import.meta.url),
    `${JSON.stringify(record, null, 2)}\n`,
  );
  writeFileSync(
    new URL('./results/largest-file.md', import.meta.url),
    `# Largest file scored locally\n\nCommit ${record.commit.slice(0, 12)}, ${record.date.slice(0, 10)}, Node ${record.node}, ${record.cpu} × ${record.cores}. Regenerate: \`npx tsx bench/largest-file.ts <model.sntm> --rows ${rows}\`.\n\n| rows | input | time | reviews/s | peak RSS |\n| ---: | ---: | ---: | ---: | ---: |\n| ${rows.toLocaleString('en-US')} | ${record.inputMb} MB | ${record.seconds} s | ${record.reviewsPerSecond.toLocaleString('en-US')} | ${peakRssMb} MB |\n\n${record.summary.join('; ')}\n`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
