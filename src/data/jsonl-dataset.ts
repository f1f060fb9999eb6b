import { detectColumn, LABEL_COLUMNS, readLines, TEXT_COLUMNS } from './csv-dataset.js';
import type { Dataset, ReadOptions } from './dataset.js';
import { DatasetError } from './errors.js';
import { ACCEPTED_LABELS, labelReader } from './labels.js';

/** Reads JSON Lines: one `{"text": ..., "label": ...}` object per line (gzip transparent). */
export async function readJsonlDataset(file: string, options: ReadOptions = {}): Promise<Dataset> {
  let textKey = options.textColumn;
  let labelKey = options.labelColumn;
  /** The keys of the first object, as CSV headers are: text, review, ... and label, sentiment, ... */
  const detect = (record: Record<string, unknown>) => {
    const keys = Object.keys(record);
    const find = (candidates: string[]) => keys[detectColumn(keys, candidates)];
    textKey ??= find(TEXT_COLUMNS);
    labelKey ??= find(LABEL_COLUMNS);
    if (textKey === undefined || labelKey === undefined)
      throw new DatasetError(
        file,
        lineNumber,
        `no ${textKey === undefined ? 'text' : 'label'} key among ${keys.join(', ')}`,
        {
          hint: `name them with --text-column and --label-column (looked for ${TEXT_COLUMNS.join(', ')} and ${LABEL_COLUMNS.join(', ')})`,
        },
      );
  };
  const texts: string[] = [];
  const labels: number[] = [];
  let skipped = 0;
  let otherLabels = 0;
  const readLabel = labelReader(options.labelMap);
  let lineNumber = 0;
  const onLine = (line: string) => {
    lineNumber++;
    if (line.trim() === '') return;
    const reject = (detail: string) => {
      if (!options.skipInvalid) throw new DatasetError(file, lineNumber, detail);
      skipped++;
    };
    if (invalidLines?.has(lineNumber)) return reject('not valid UTF-8');
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      return reject('not valid JSON');
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) return reject('not a JSON object');
    const record = row as Record<string, unknown>;
    if (textKey === undefined || labelKey === undefined) detect(record);
    const text = record[textKey as string];
    if (typeof text !== 'string') return reject(`no string "${textKey}"`);
    if (text.trim() === '') return reject('empty text');
    const label = readLabel(record[labelKey as string]);
    if (label === null)
      return reject(
        `unknown label ${JSON.stringify(record[labelKey as string])?.slice(0, 40)} (${ACCEPTED_LABELS})`,
      );
    if (label === 'other') {
      otherLabels++;
      return;
    }
    texts.push(text);
    labels.push(label);
  };
  // With --skip-invalid, lines that are not UTF-8 are skipped and counted; without, the read stops there.
  const invalidLines = options.skipInvalid ? new Set<number>() : undefined;
  for await (const line of readLines(file, invalidLines)) onLine(line);
  if (lineNumber === 0) throw new DatasetError(file, null, 'the file is empty');
  return { texts, labels: Uint8Array.from(labels), source: file, skipped, otherLabels };
}
