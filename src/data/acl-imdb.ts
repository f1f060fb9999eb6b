import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { Dataset } from './dataset.js';
import { DatasetError } from './errors.js';
import { readTar } from './tar.js';

export type AclImdbSplit = 'train' | 'test';

/**
 * `aclImdb/<split>/<pos|neg>/<id>_<rating>.txt` from the archive's root (an optional `./` and
 * `aclImdb/`), nothing else: `x/test/../train/...` or `unsup` is not a review of either split.
 */
const REVIEW_PATH = /^(?:\.\/)?(?:aclImdb\/)?(train|test)\/(pos|neg)\/(\d+)_(\d+)\.txt$/;

function finish(reviews: Array<{ key: string; text: string; label: number }>, source: string): Dataset {
  if (reviews.length === 0)
    throw new DatasetError(
      source,
      null,
      "no reviews found: a folder is read as Stanford's aclImdb layout (train/pos, train/neg, test/pos, test/neg of .txt files), which this one does not have",
      {
        hint: 'give a CSV or JSON Lines file, or the folder that holds train/ and test/',
      },
    );
  // Directory listings and archives differ in order: sort so that both read the same dataset.
  reviews.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    texts: reviews.map((r) => r.text),
    labels: Uint8Array.from(reviews.map((r) => r.label)),
    source,
    skipped: 0,
  };
}

function sortKey(label: string, id: string): string {
  return `${label}/${id.padStart(8, '0')}`;
}

/** Reads one split of the Stanford distribution from an extracted `aclImdb` folder. */
export async function readAclImdbDirectory(dir: string, split: AclImdbSplit): Promise<Dataset> {
  const root = (await stat(join(dir, split)).catch(() => null)) ? dir : join(dir, 'aclImdb');
  const reviews: Array<{ key: string; text: string; label: number }> = [];
  for (const label of ['pos', 'neg']) {
    const folder = join(root, split, label);
    const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT')
        throw new DatasetError(
          dir,
          null,
          `has no ${split}/${label} folder: a folder is read as Stanford's aclImdb layout (train/pos, train/neg, test/pos, test/neg of .txt files)`,
          { cause: error, hint: 'give a CSV or JSON Lines file, or the folder that holds train/ and test/' },
        );
      throw new DatasetError(folder, null, `cannot list (${error.code ?? error.message})`, { cause: error });
    });
    for (const name of names) {
      const match = /^(\d+)_(\d+)\.txt$/.exec(name);
      if (!match) continue;
      const text = await readFile(join(folder, name), 'utf8');
      reviews.push({ key: sortKey(label, match[1]), text, label: label === 'pos' ? 1 : 0 });
    }
  }
  return finish(reviews, join(root, split));
}

/** Reads one split of `aclImdb_v1.tar.gz` in place, without extracting it. */
export async function readAclImdbArchive(file: string, split: AclImdbSplit): Promise<Dataset> {
  const reviews: Array<{ key: string; text: string; label: number }> = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const stream = createReadStream(file).pipe(createGunzip());
  const wanted = (path: string, type: string) =>
    (type === '0' || type === '\0') && REVIEW_PATH.exec(path)?.[1] === split;
  try {
    for await (const entry of readTar(stream, wanted)) {
      const match = REVIEW_PATH.exec(entry.path) as RegExpExecArray;
      let text: string;
      try {
        text = decoder.decode(entry.content);
      } catch (error) {
        throw new DatasetError(`${file}#${entry.path}`, null, 'is not valid UTF-8', { cause: error });
      }
      reviews.push({ key: sortKey(match[2], match[3]), text, label: match[2] === 'pos' ? 1 : 0 });
    }
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(file, null, `cannot read the archive (${(error as Error).message})`, {
      cause: error,
    });
  } finally {
    stream.destroy();
  }
  return finish(reviews, `${file}#${split}`);
}
