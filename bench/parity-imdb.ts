/**
 * Parity with scikit-learn on the full IMDb split: trains scikit-learn (tools/sklearn-imdb.py) and this
 * project with the same settings on train.csv.gz, then compares test accuracy and per-review labels.
 *
 * Run: IMDB_DIR=../shared/datasets/imdb npm run parity [-- seed|bigrams]
 * Needs python3 with scikit-learn (Debian: apt-get install python3-sklearn).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDataset } from '../src/data/read.js';
import { fitSentimentModel, type ModelOptions } from '../src/model/fit.js';
import { DEFAULT_LOGISTIC_REGRESSION } from '../src/model/logistic-regression.js';
import { SKLEARN_TFIDF } from '../src/model/vectorizer.js';

const CONFIGS: Record<string, ModelOptions> = {
  seed: {
    tfidf: SKLEARN_TFIDF,
    logisticRegression: { ...DEFAULT_LOGISTIC_REGRESSION, C: 1 },
    naiveBayesAlpha: null,
  },
  bigrams: {
    tfidf: { ...SKLEARN_TFIDF, ngramRange: [1, 2], minDf: 2, sublinearTf: true },
    logisticRegression: { ...DEFAULT_LOGISTIC_REGRESSION, C: 10 },
    naiveBayesAlpha: null,
  },
};

const imdb = process.env.IMDB_DIR;
if (!imdb) throw new Error('set IMDB_DIR to the folder holding train.csv.gz and test.csv.gz');
const name = process.argv[2] ?? 'seed';
const config = CONFIGS[name];
if (!config) throw new Error(`unknown config ${name}: ${Object.keys(CONFIGS).join(', ')}`);
const python = process.env.PYTHON ?? '/usr/bin/python3';

const out = join(tmpdir(), `sklearn-imdb-${name}.json`);
execFileSync(python, [new URL('../tools/sklearn-imdb.py', import.meta.url).pathname, imdb, out, name], {
  stdio: 'inherit',
});
const reference = JSON.parse(readFileSync(out, 'utf8')) as {
  accuracy: number;
  probabilities: number[];
  fitSeconds: number;
  sklearnVersion: string;
  vocabularySize: number;
};

const train = await readDataset(join(imdb, 'train.csv.gz'));
const test = await readDataset(join(imdb, 'test.csv.gz'));
const started = performance.now();
const { model } = fitSentimentModel(train.texts, train.labels, config);
const fitSeconds = (performance.now() - started) / 1000;
let agree = 0;
let correct = 0;
let maxDifference = 0;
test.texts.forEach((text, i) => {
  const p = model.predict(text).probabilityPositive;
  const q = reference.probabilities[i];
  if (p > 0.5 === q > 0.5) agree++;
  if ((p > 0.5 ? 1 : 0) === test.labels[i]) correct++;
  maxDifference = Math.max(maxDifference, Math.abs(p - q));
});
const n = test.texts.length;
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
console.log(`config ${name} (scikit-learn ${reference.sklearnVersion} with its default tol and max_iter)`);
console.log(`vocabulary      ours ${model.vocabularySize}, scikit-learn ${reference.vocabularySize}`);
console.log(`test accuracy   ours ${pct(correct / n)}, scikit-learn ${pct(reference.accuracy)}`);
console.log(`same label      ${pct(agree / n)} (${agree} of ${n} test reviews)`);
console.log(`max |p - p_sk|  ${maxDifference.toExponential(2)}`);
console.log(`fit seconds     ours ${fitSeconds.toFixed(2)}, scikit-learn ${reference.fitSeconds.toFixed(2)}`);
