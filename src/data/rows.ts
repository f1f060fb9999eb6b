import { stat } from 'node:fs/promises';
import { type CsvParser, type CsvRecord, CsvSyntaxError } from './csv.js';
import { csvParserFor, readLines, readTextChunks } from './csv-dataset.js';
import { formatOf } from './dataset.js';
import { DatasetError } from './errors.js';

/** One row of a CSV or JSON Lines file: its values by column (or key), and the line it starts on. */
export interface Row {
  line: number;
  values: Record<string, unknown>;
}

/** The columns (CSV header) or the first object's keys (JSON Lines), known once the first row is read. */
export interface RowSource {
  columns: string[];
  rows: AsyncGenerator<Row>;
  /** The share of the file read so far, 0 to 1 (of the compressed bytes for a .gz): for an ETA. */
  fractionRead(): number;
}

/**
 * Streams the rows of a CSV (header row, comma/semicolon/tab sniffed) or JSON Lines file, gzip
 * transparent, holding one chunk at a time: memory stays flat whatever the file's size. A malformed
 * row is an error naming the file and line.
 */
export async function openRows(file: string): Promise<RowSource> {
  const meter = { bytes: 0 };
  const size = (await stat(file).catch(() => null))?.size ?? 0;
  const rows = formatOf(file, false) === 'jsonl' ? jsonlRows(file, meter) : csvRows(file, meter);
  const first = await rows.next();
  if (first.done) throw new DatasetError(file, null, 'has no rows');
  const columns = Object.keys(first.value.values);
  async function* all(): AsyncGenerator<Row> {
    yield first.value as Row;
    yield* rows;
  }
  return { columns, rows: all(), fractionRead: () => (size > 0 ? Math.min(1, meter.bytes / size) : 0) };
}

async function* csvRows(file: string, meter: { bytes: number }): AsyncGenerator<Row> {
  let parser: CsvParser | null = null;
  let header: string[] | null = null;
  let pending: CsvRecord[] = [];
  const collect = (record: CsvRecord) => pending.push(record);
  const take = function* (): Generator<Row> {
    const records = pending;
    pending = [];
    for (const record of records) {
      if (header === null) {
        header = record.fields.map((name, i) => (i === 0 ? name.replace(/^\uFEFF/, '') : name).trim());
        continue;
      }
      if (record.fields.length === 1 && record.fields[0] === '') continue;
      if (record.fields.length !== header.length)
        throw new DatasetError(
          file,
          record.line,
          `expected ${header.length} fields as in the header, found ${record.fields.length}`,
        );
      const values: Record<string, unknown> = {};
      header.forEach((name, i) => {
        values[name] = record.fields[i];
      });
      yield { line: record.line, values };
    }
  };
  try {
    for await (const chunk of readTextChunks(file, undefined, meter)) {
      if (parser === null) ({ parser } = csvParserFor(file, chunk));
      parser.push(chunk, collect);
      yield* take();
    }
    parser?.end(collect);
    yield* take();
  } catch (error) {
    if (error instanceof CsvSyntaxError)
      throw new DatasetError(file, error.line, `malformed CSV: ${error.message}`, { cause: error });
    throw error;
  }
}

async function* jsonlRows(file: string, meter: { bytes: number }): AsyncGenerator<Row> {
  let line = 0;
  const parse = (text: string): Row | null => {
    line++;
    if (text.trim() === '') return null;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new DatasetError(file, line, 'not valid JSON');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new DatasetError(file, line, 'not a JSON object');
    return { line, values: value as Record<string, unknown> };
  };
  for await (const text of readLines(file, undefined, meter)) {
    const row = parse(text);
    if (row) yield row;
  }
}
