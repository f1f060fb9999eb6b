import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/data/dataset.js';
import { readDataset } from '../../src/data/read.js';
import { fitSentimentModel } from '../../src/model/fit.js';
import type { SentimentModel } from '../../src/model/sentiment-model.js';
import { PRESETS } from '../../src/training/presets.js';
import { stratifiedSplit } from '../../src/training/split.js';

const imdb = process.env.IMDB_DIR;
const rtFile = imdb
  ? join(process.env.RT_POLARITY_DIR ?? join(imdb, '..', 'rt-polarity'), 'rt-polarity.csv.gz')
  : '';

const accuracy = (model: SentimentModel, data: Pick<Dataset, 'texts' | 'labels'>) => {
  let correct = 0;
  data.texts.forEach((text, i) => {
    if ((model.predict(text).sentiment === 'positive' ? 1 : 0) === data.labels[i]) correct++;
  });
  return correct / data.texts.length;
};

// The real data, when present (CI sets IMDB_DIR): the quality figures, not unit tests.
describe.runIf(imdb)('quality on the full IMDb split', () => {
  let train: Dataset;
  let test: Dataset;
  beforeAll(async () => {
    train = await readDataset(join(imdb!, 'train.csv.gz'));
    test = await readDataset(join(imdb!, 'test.csv.gz'));
  }, 60_000);

  it('seed: reaches scikit-learn accuracy (88.32%) within 0.3 points on the 25,000 test reviews', () => {
    expect(train.texts.length).toBe(25_000);
    const { model, solver } = fitSentimentModel(train.texts, train.labels, PRESETS.seed);
    expect(solver.converged).toBe(true);
    const result = accuracy(model, test);
    expect(result).toBeGreaterThanOrEqual(0.8802);
    expect(result).toBeLessThanOrEqual(0.8862);
  }, 180_000);

  // The preset the API serves, against the quality issue's targets (bench/results/quality.md: 91.28%
  // and 76.88%); rt-polarity's report half is the stratified half of seed 11, as bench/domains.ts splits it.
  it('default: at least 91.0% on IMDb test and 75.5% on the rt-polarity report half', async () => {
    const { model, solver } = fitSentimentModel(train.texts, train.labels, PRESETS.default);
    expect(solver.converged).toBe(true);
    expect(accuracy(model, test)).toBeGreaterThanOrEqual(0.91);
    if (!existsSync(rtFile)) {
      console.warn(`warning: ${rtFile} not found; the rt-polarity figure is not checked`);
      return;
    }
    const rt = await readDataset(rtFile);
    const report = stratifiedSplit(rt.labels, 0.5, 11).validation;
    const half = {
      texts: Array.from(report, (i) => rt.texts[i]),
      labels: Uint8Array.from(report, (i) => rt.labels[i]),
    };
    expect(accuracy(model, half)).toBeGreaterThanOrEqual(0.755);
  }, 300_000);
});
