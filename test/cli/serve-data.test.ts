import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bestTrainingData } from '../../src/cli/serve.js';

describe('the data npm start trains on', () => {
  it('takes the full split from IMDB_DIR, with its test file to report on', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imdb-'));
    writeFileSync(join(dir, 'train.csv.gz'), '');
    writeFileSync(join(dir, 'test.csv.gz'), '');
    expect(bestTrainingData({ IMDB_DIR: dir })).toMatchObject({
      path: join(dir, 'train.csv.gz'),
      test: join(dir, 'test.csv.gz'),
    });
  });

  it('falls back to the bundled sample, with no test file, and says how to get the full data', () => {
    const data = bestTrainingData({});
    expect(data.path).toBe('data/imdb-sample.csv.gz');
    expect(data.test).toBeUndefined();
    expect(data.what).toContain('npx sentiment data download');
  });
});
