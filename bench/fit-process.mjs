// A fresh process that reads the IMDb training file, fits a model and writes it: "process start ->
// model written", the fit row of npm run bench. One fit (no validation refit), like scikit-learn's.
// Usage: node bench/fit-process.mjs <train.csv.gz> <options.json> <out.sntm>
import { readFileSync, writeFileSync } from 'node:fs';

const { readDataset } = await import('../dist/data/read.js');
const { fitSentimentModel } = await import('../dist/model/fit.js');
const { encodeModel } = await import('../dist/model/artifact.js');
const [train, optionsFile, out] = process.argv.slice(2);
const options = JSON.parse(readFileSync(optionsFile, 'utf8'));
const data = await readDataset(train);
writeFileSync(out, encodeModel(fitSentimentModel(data.texts, data.labels, options).model));
