import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { CsvParser, type CsvRecord, CsvSyntaxError } from './csv.js';
import type { Dataset, ReadOptions } from './dataset.js';
import { DatasetError } from './errors.js';
import { labelReader } from './labels.js';

const TEXT_COLUMNS = ['text', 'review', 'sentence', 'content', 'body'];
const LABEL_COLUMNS = ['label', 'sentiment', 'polarity', 'class', 'target'];

/** Opens a file as text, gunzipping it when it starts with gzip's magic bytes. */
export async function* readTextChunks(file: string): AsyncGenerator<string> {
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new DatasetError(file, null, `cannot open (${error.code ?? error.message})`, { cause: error });
  });
  const magic = Buffer.alloc(2);
  const { bytesRead } = await handle.read(magic, 0, 2, 0);
  await handle.close();
  const gzipped = bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  const raw = createReadStream(file);
  const stream = gzipped ? raw.pipe(createGunzip()) : raw;
  raw.on('error', (error) => stream.destroy(error));
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of stream) yield decoder.decode(chunk as Buffer, { stream: true });
    yield decoder.decode();
  } catch (error) {
    throw new DatasetError(file, null, `cannot read (${(error as Error).message})`, { cause: error });
  }
}

function findColumn(
  header: string[],
  wanted: string | undefined,
  candidates: string[],
  file: string,
  role: string,
) {
  const names = header.map((name) =>
    name
      .trim()
      .replace(/^\uFEFF/, '')
      .toLowerCase(),
  );
  if (wanted !== undefined) {
    const index = names.indexOf(wanted.toLowerCase());
    if (index < 0)
      throw new DatasetError(file, 1, `no column named "${wanted}" (columns: ${header.join(', ')})`);
    return index;
  }
  const index = names.findIndex((name) => candidates.includes(name));
  if (index < 0) {
    throw new DatasetError(
      file,
      1,
      `no ${role} column among ${header.join(', ')}: name one with --${role}-column (looked for ${candidates.join(', ')})`,
    );
  }
  return index;
}

/** Reads a CSV file with a header row (gzip transparent): the Kaggle IMDb layouts and others like them. */
export async function readCsvDataset(file: string, options: ReadOptions = {}): Promise<Dataset> {
  const parser = new CsvParser();
  const texts: string[] = [];
  const labels: number[] = [];
  let header: string[] | null = null;
  let textIndex = -1;
  let labelIndex = -1;
  let skipped = 0;
  let otherLabels = 0;
  const readLabel = labelReader(options.labelMap);
  const reject = (line: number, detail: string) => {
    if (!options.skipInvalid) throw new DatasetError(file, line, detail);
    skipped++;
  };
  const onRecord = (record: CsvRecord) => {
    if (header === null) {
      header = record.fields;
      textIndex = findColumn(header, options.textColumn, TEXT_COLUMNS, file, 'text');
      labelIndex = findColumn(header, options.labelColumn, LABEL_COLUMNS, file, 'label');
      return;
    }
    const { fields, line } = record;
    if (fields.length === 1 && fields[0] === '') return;
    if (fields.length !== header.length) {
      return reject(line, `expected ${header.length} fields, found ${fields.length}`);
    }
    const label = readLabel(fields[labelIndex]);
    if (label === null) return reject(line, `unknown label "${fields[labelIndex].slice(0, 40)}"`);
    if (label === 'other') {
      otherLabels++;
      return;
    }
    const text = fields[textIndex];
    if (text.trim() === '') return reject(line, 'empty text');
    texts.push(text);
    labels.push(label);
  };
  try {
    for await (const chunk of readTextChunks(file)) parser.push(chunk, onRecord);
    parser.end(onRecord);
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      throw new DatasetError(file, error.line, `malformed CSV: ${error.message}`, { cause: error });
    }
    throw error;
  }
  if (header === null) throw new DatasetError(file, null, 'the file is empty');
  return { texts, labels: Uint8Array.from(labels), source: file, skipped, otherLabels };
}
