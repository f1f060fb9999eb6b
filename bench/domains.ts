/**
 * The data splits every quality figure uses, in one place:
 * - IMDb train.csv.gz, split as `sentiment train` splits it (10% held out, seed 42): fit on the 90%,
 *   choose on the 10%;
 * - rt-polarity, split once in halves, stratified, seed 11: the *choosing* half (`rtChoose`) may be
 *   looked at while choosing presets; the *report* half (`rtReport`) only reports;
 * - IMDb test.csv.gz only reports.
 * Folders come from IMDB_DIR and RT_POLARITY_DIR (default: rt-polarity beside IMDB_DIR).
 */
import { join } from 'node:path';
import type { Dataset } from '../src/data/dataset.js';
import { readDataset } from '../src/data/read.js';
import { stratifiedSplit } from '../src/training/split.js';

export const IMDB_VALIDATION = { fraction: 0.1, seed: 42 };
export const RT_SPLIT = { fraction: 0.5, seed: 11 };

export function dataDirs() {
  const imdb = process.env.IMDB_DIR;
  if (!imdb) throw new Error('set IMDB_DIR to the folder holding train.csv.gz and test.csv.gz');
  const rt = process.env.RT_POLARITY_DIR ?? join(imdb, '..', 'rt-polarity');
  return { imdb, rt };
}

function pick(dataset: Dataset, rows: Uint32Array, name: string): Dataset {
  return {
    texts: Array.from(rows, (i) => dataset.texts[i]),
    labels: Uint8Array.from(rows, (i) => dataset.labels[i]),
    source: `${dataset.source} (${name})`,
    skipped: 0,
  };
}

export async function loadDomains() {
  const { imdb, rt } = dataDirs();
  const train = await readDataset(join(imdb, 'train.csv.gz'));
  const imdbSplit = stratifiedSplit(train.labels, IMDB_VALIDATION.fraction, IMDB_VALIDATION.seed);
  const polarity = await readDataset(join(rt, 'rt-polarity.csv.gz'));
  const rtSplit = stratifiedSplit(polarity.labels, RT_SPLIT.fraction, RT_SPLIT.seed);
  return {
    imdbTrain: train,
    imdbChoose: pick(train, imdbSplit.train, 'fit part'),
    imdbValidation: pick(train, imdbSplit.validation, 'validation part'),
    rtChoose: pick(polarity, rtSplit.train, 'choosing half'),
    rtReport: pick(polarity, rtSplit.validation, 'report half'),
    imdbTest: () => readDataset(join(imdb, 'test.csv.gz')),
  };
}
