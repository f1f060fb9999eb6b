// A fresh process that reads the IMDb training file, fits a model and writes it: "process start ->
// model written", the fit row of npm run bench. One fit (no validation refit), like scikit-learn's,
// then the weight-storage check `train` makes. Counting and the solver's products run on [threads].
// Usage: node bench/fit-process.mjs <train.csv.gz> <options.json> <out.sntm> [threads (default: all cores)]
import { readFileSync, writeFileSync } from 'node:fs';

const { readDataset } = await import('../dist/data/read.js');
const { fitSentimentModel } = await import('../dist/model/fit.js');
const { encodeModel } = await import('../dist/model/artifact.js');
const { chooseWeightStorage } = await import('../dist/training/weights.js');
const { countingThreadsFor, countTermsInParallel, defaultThreads } = await import(
  '../dist/training/parallel-count.js'
);
const { threadedColumnProducts } = await import('../dist/training/parallel-products.js');
const [train, optionsFile, out, threadArg] = process.argv.slice(2);
const threads = threadArg ? Number(threadArg) : defaultThreads();
const options = JSON.parse(readFileSync(optionsFile, 'utf8'));
// As `train` does with a large file: the counting threads start first and load while it is read.
const countingThreads = countingThreadsFor(threads);
const data = await readDataset(train);
const counts = await countTermsInParallel(data.texts, options.tfidf, threads, undefined, countingThreads);
countingThreads.close();
const { model, features } = fitSentimentModel(
  data.texts,
  data.labels,
  options,
  {},
  {},
  undefined,
  counts,
  threadedColumnProducts(threads),
);
// As `train` does without a test set: int16 weights when they keep the answers on the training rows.
const storage = chooseWeightStorage(model, features);
writeFileSync(out, encodeModel(storage.model, { precision: storage.precision }));
