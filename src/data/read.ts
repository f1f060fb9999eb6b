import { stat } from 'node:fs/promises';
import { readAclImdbArchive, readAclImdbDirectory } from './acl-imdb.js';
import { readCsvDataset } from './csv-dataset.js';
import { type Dataset, formatOf, type ReadOptions } from './dataset.js';
import { DatasetError } from './errors.js';
import { readJsonlDataset } from './jsonl-dataset.js';

/**
 * Reads labelled reviews from CSV, JSON Lines (both gzip transparent), an `aclImdb` folder or
 * `aclImdb_v1.tar.gz` (its `split`, train by default), and checks both classes are present.
 */
export async function readDataset(
  path: string,
  options: ReadOptions & { split?: 'train' | 'test' } = {},
): Promise<Dataset> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new DatasetError(path, null, `cannot open (${error.code ?? error.message})`, { cause: error });
  });
  const format = formatOf(path, info.isDirectory());
  const split = options.split ?? 'train';
  const dataset =
    format === 'acl-imdb-dir'
      ? await readAclImdbDirectory(path, split)
      : format === 'acl-imdb-tar'
        ? await readAclImdbArchive(path, split)
        : format === 'jsonl'
          ? await readJsonlDataset(path, options)
          : await readCsvDataset(path, options);
  if (dataset.texts.length === 0) throw new DatasetError(path, null, 'no usable rows');
  const positives = dataset.labels.reduce((sum, label) => sum + label, 0);
  if (positives === 0 || positives === dataset.labels.length) {
    throw new DatasetError(
      path,
      null,
      `only one class (${positives === 0 ? 'negative' : 'positive'}) in the data`,
    );
  }
  return dataset;
}
