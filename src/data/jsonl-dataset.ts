import { readTextChunks } from './csv-dataset.js';
import type { Dataset, ReadOptions } from './dataset.js';
import { DatasetError } from './errors.js';
import { labelReader } from './labels.js';

/** Reads JSON Lines: one `{"text": ..., "label": ...}` object per line (gzip transparent). */
export async function readJsonlDataset(file: string, options: ReadOptions = {}): Promise<Dataset> {
  const textKey = options.textColumn ?? 'text';
  const labelKey = options.labelColumn ?? 'label';
  const texts: string[] = [];
  const labels: number[] = [];
  let skipped = 0;
  let otherLabels = 0;
  const readLabel = labelReader(options.labelMap);
  let lineNumber = 0;
  let rest = '';
  const onLine = (line: string) => {
    lineNumber++;
    if (line.trim() === '') return;
    const reject = (detail: string) => {
      if (!options.skipInvalid) throw new DatasetError(file, lineNumber, detail);
      skipped++;
    };
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      return reject('not valid JSON');
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) return reject('not a JSON object');
    const record = row as Record<string, unknown>;
    const text = record[textKey];
    if (typeof text !== 'string') return reject(`no string "${textKey}"`);
    if (text.trim() === '') return reject('empty text');
    const label = readLabel(record[labelKey]);
    if (label === null) return reject(`unknown label ${JSON.stringify(record[labelKey])?.slice(0, 40)}`);
    if (label === 'other') {
      otherLabels++;
      return;
    }
    texts.push(text);
    labels.push(label);
  };
  for await (const chunk of readTextChunks(file)) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) onLine(line.replace(/\r$/, ''));
  }
  if (rest !== '') onLine(rest);
  if (lineNumber === 0) throw new DatasetError(file, null, 'the file is empty');
  return { texts, labels: Uint8Array.from(labels), source: file, skipped, otherLabels };
}
