/**
 * Migration check on the full IMDb split: scikit-learn trains a pipeline (tools/sklearn-imdb.py),
 * tools/export-sklearn.py converts its joblib file, and this project's imported model must give the
 * same label on every test review and a probability within 1e-6 of predict_proba.
 *
 * Run: IMDB_DIR=../shared/datasets/imdb npm run build && npx tsx bench/parity-import.ts [seed|bigrams]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDataset } from '../src/data/read.js';
import { loadModel } from '../src/store/load-model.js';

const imdb = process.env.IMDB_DIR;
if (!imdb) throw new Error('set IMDB_DIR');
const name = process.argv[2] ?? 'seed';
const python = process.env.PYTHON ?? '/usr/bin/python3';
const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'parity-import-'));
const reference = join(dir, 'sklearn.json');
const joblibFile = join(dir, 'pipeline.joblib');
execFileSync(python, [join(root, 'tools/sklearn-imdb.py'), imdb, reference, name, joblibFile], {
  stdio: 'inherit',
});
execFileSync(python, [join(root, 'tools/export-sklearn.py'), joblibFile, join(dir, 'model.sntm')], {
  stdio: 'inherit',
});
const { probabilities } = JSON.parse(readFileSync(reference, 'utf8')) as { probabilities: number[] };
const { model } = await loadModel(join(dir, 'model.sntm'));
const test = await readDataset(join(imdb, 'test.csv.gz'));
let same = 0;
let maxDifference = 0;
test.texts.forEach((text, i) => {
  const p = model.predict(text).probabilityPositive;
  if (p > 0.5 === probabilities[i] > 0.5) same++;
  maxDifference = Math.max(maxDifference, Math.abs(p - probabilities[i]));
});
console.log(
  `config ${name}: same label on ${same} of ${test.texts.length} test reviews (${((same / test.texts.length) * 100).toFixed(2)}%)`,
);
console.log(`max |p - predict_proba| = ${maxDifference.toExponential(3)} (required < 1e-6)`);
if (same !== test.texts.length || maxDifference >= 1e-6) process.exitCode = 1;
