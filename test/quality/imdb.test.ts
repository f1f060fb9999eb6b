import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDataset } from '../../src/data/read.js';
import { fitSentimentModel } from '../../src/model/fit.js';
import { PRESETS } from '../../src/training/presets.js';

const imdb = process.env.IMDB_DIR;

// The real data, when present (CI sets IMDB_DIR): the quality figure, not a unit test.
describe.runIf(imdb)('the seed preset on the full IMDb split', () => {
  it('reaches scikit-learn accuracy (88.32%) within 0.3 points on the 25,000 test reviews', async () => {
    const train = await readDataset(join(imdb!, 'train.csv.gz'));
    const test = await readDataset(join(imdb!, 'test.csv.gz'));
    expect(train.texts.length).toBe(25_000);
    const { model, solver } = fitSentimentModel(train.texts, train.labels, PRESETS.seed);
    expect(solver.converged).toBe(true);
    let correct = 0;
    test.texts.forEach((text, i) => {
      if ((model.predict(text).sentiment === 'positive' ? 1 : 0) === test.labels[i]) correct++;
    });
    const accuracy = correct / test.texts.length;
    expect(accuracy).toBeGreaterThanOrEqual(0.8802);
    expect(accuracy).toBeLessThanOrEqual(0.8862);
  }, 180_000);
});
