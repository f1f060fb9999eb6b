import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { CsvParser, type CsvRecord, CsvSyntaxError } from './csv.js';
import type { Dataset, ReadOptions } from './dataset.js';
import { DatasetError } from './errors.js';
import { ACCEPTED_LABELS, labelReader, parseLabel } from './labels.js';
import { invalidUtf8 } from './utf8.js';

export const TEXT_COLUMNS = ['text', 'review', 'sentence', 'content', 'body'];
export const LABEL_COLUMNS = ['label', 'sentiment', 'polarity', 'class', 'target'];

const DELIMITERS: Array<[string, string]> = [
  [',', 'comma'],
  [';', 'semicolon'],
  ['\t', 'tab'],
];

/** The delimiter of a header line: the one of comma, semicolon and tab it holds most (comma on a tie). */
export function sniffDelimiter(firstLine: string): { delimiter: string; name: string } {
  let best = DELIMITERS[0];
  let most = 0;
  for (const candidate of DELIMITERS) {
    const count = firstLine.split(candidate[0]).length - 1;
    if (count > most) {
      best = candidate;
      most = count;
    }
  }
  return { delimiter: best[0], name: best[1] };
}

/**
 * The parser for a CSV file, from its first chunk: refuses JSON by name, sniffs the delimiter.
 */
export function csvParserFor(file: string, firstChunk: string): { parser: CsvParser; delimiterName: string } {
  const start = firstChunk.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('[') || start.startsWith('{'))
    throw new DatasetError(file, 1, 'is JSON, not CSV', {
      hint: `give JSON Lines instead, one {"text": ..., "label": ...} object per line, in a .jsonl file (from an array: jq -c '.[]' ${file} > reviews.jsonl)`,
    });
  const sniffed = sniffDelimiter(firstChunk.split('\n', 1)[0]);
  return { parser: new CsvParser(sniffed.delimiter), delimiterName: sniffed.name };
}

/**
 * The bytes a file is read by (not 64 KiB: fewer round trips to the thread that gunzips; not more:
 * read-ahead then runs far past what progress reports), and gunzipped text is handed over by.
 */
export const FILE_CHUNK = 1 << 18;
const TEXT_CHUNK = 1 << 20;

/** A header cell as messages show it: at most 40 characters. */
const shown = (cell: string) =>
  cell.length > 40 ? `${JSON.stringify(cell.slice(0, 40))}…` : JSON.stringify(cell);

/**
 * Opens a file as text, gunzipping it when it starts with gzip's magic bytes. Bytes that are not
 * UTF-8 are an error naming the line they are on, unless `invalidLines` is given: then their lines
 * are added to it (for the caller to skip) and the bytes read as U+FFFD.
 */
export async function* readTextChunks(
  file: string,
  invalidLines?: Set<number>,
  /** Updated with the bytes of the file read so far (compressed bytes for a .gz): for progress. */
  meter?: { bytes: number },
): AsyncGenerator<string> {
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new DatasetError(file, null, `cannot open (${error.code ?? error.message})`, { cause: error });
  });
  const magic = Buffer.alloc(2);
  const { bytesRead } = await handle.read(magic, 0, 2, 0);
  await handle.close();
  const gzipped = bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  const fileStream = createReadStream(file, { highWaterMark: FILE_CHUNK });
  const stream = gzipped ? fileStream.pipe(createGunzip({ chunkSize: TEXT_CHUNK })) : fileStream;
  fileStream.on('error', (error) => stream.destroy(error));
  let decoder = new TextDecoder('utf-8', { fatal: true });
  /** Line breaks before the current chunk, and the bytes of a sequence the last chunk cut short. */
  let lines = 0;
  let carry: Uint8Array = new Uint8Array(0);
  /** Names (or, when skipping, records) the lines of the invalid bytes of `bytes`. */
  const locate = (bytes: Uint8Array, offsets: number[]) => {
    const lineOf = (offset: number) => {
      let line = lines + 1;
      for (let i = bytes.indexOf(10); i !== -1 && i < offset; i = bytes.indexOf(10, i + 1)) line++;
      return line;
    };
    if (invalidLines === undefined) {
      const offset = offsets[0] ?? 0;
      throw new DatasetError(
        file,
        lineOf(offset),
        `is not valid UTF-8 (byte 0x${bytes[offset]?.toString(16)})`,
        {
          hint: 'save the file as UTF-8 (for example iconv -f latin1 -t utf-8), or skip such rows with --skip-invalid',
        },
      );
    }
    for (const offset of offsets) invalidLines.add(lineOf(offset));
  };
  try {
    for await (const raw of stream) {
      const chunk = raw as Buffer;
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        // Only here (a chunk that is not UTF-8) is anything re-read: find the lines, then (when
        // skipping) read the chunk with U+FFFD for the bad bytes, keeping a cut-short tail for later.
        const bytes = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
        const { offsets, incomplete } = invalidUtf8(bytes);
        locate(bytes, offsets);
        text = new TextDecoder('utf-8').decode(bytes.subarray(0, bytes.length - incomplete));
        decoder = new TextDecoder('utf-8', { fatal: true });
        decoder.decode(bytes.subarray(bytes.length - incomplete), { stream: true });
      }
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      if (meter) meter.bytes = fileStream.bytesRead;
      const { incomplete } = invalidUtf8(chunk.subarray(Math.max(0, chunk.length - 4)));
      carry = chunk.subarray(chunk.length - incomplete);
      yield text;
    }
    try {
      yield decoder.decode();
    } catch {
      if (invalidLines === undefined)
        throw new DatasetError(file, lines + 1, 'is not valid UTF-8 (the file ends inside a character)');
      invalidLines.add(lines + 1);
      yield '\uFFFD';
    }
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(file, null, `cannot read (${(error as Error).message})`, { cause: error });
  }
}

/**
 * A text file's lines (`\n` or `\r\n`, gzip transparent), in linear time: a line longer than a chunk
 * is kept as pieces and joined once, however long it is.
 */
export async function* readLines(
  file: string,
  invalidLines?: Set<number>,
  meter?: { bytes: number },
): AsyncGenerator<string> {
  let pieces: string[] = [];
  for await (const chunk of readTextChunks(file, invalidLines, meter)) {
    const parts = chunk.split('\n');
    if (parts.length === 1) {
      pieces.push(chunk);
      continue;
    }
    pieces.push(parts[0]);
    parts[0] = pieces.join('');
    pieces = [parts.pop() ?? ''];
    for (const part of parts) yield part.replace(/\r$/, '');
  }
  const rest = pieces.join('');
  if (rest !== '') yield rest.replace(/\r$/, '');
}

/**
 * The index of the first name that is one of `candidates` (trimmed, byte-order mark dropped, any
 * case), or -1: how CSV headers, JSON Lines keys and file columns find their text and label.
 */
export function detectColumn(names: readonly string[], candidates: readonly string[]): number {
  return names.findIndex((name) =>
    candidates.includes(
      name
        .trim()
        .replace(/^\uFEFF/, '')
        .toLowerCase(),
    ),
  );
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
      throw new DatasetError(
        file,
        1,
        `no column named "${wanted}" (columns: ${header.map(shown).join(', ')})`,
      );
    return index;
  }
  const index = detectColumn(header, candidates);
  if (index < 0) {
    // A first line of data instead of names: a label-like cell beside a long text.
    if (
      header.some((cell) => parseLabel(cell) !== null) &&
      header.some((cell) => cell.trim().includes(' '))
    ) {
      throw new DatasetError(
        file,
        1,
        `has no header row: its first line is data (${header.map(shown).join(', ')})`,
        {
          hint: 'add a first line naming the columns, such as text,label',
        },
      );
    }
    throw new DatasetError(
      file,
      1,
      `no ${role} column among ${header.map(shown).join(', ')}: name one with --${role}-column (looked for ${candidates.join(', ')})`,
    );
  }
  return index;
}

/** Reads a CSV file with a header row (gzip transparent): the Kaggle IMDb layouts and others like them. */
export async function readCsvDataset(file: string, options: ReadOptions = {}): Promise<Dataset> {
  let parser: CsvParser | null = null;
  let delimiterName = 'comma';
  const texts: string[] = [];
  const labels: number[] = [];
  let header: string[] | null = null;
  let textIndex = -1;
  let labelIndex = -1;
  let skipped = 0;
  const invalidLines = options.skipInvalid ? new Set<number>() : undefined;
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
    if (invalidLines && invalidLines.size > 0) {
      const last = line + fields.reduce((n, f) => n + f.split('\n').length - 1, 0);
      for (let l = line; l <= last; l++) if (invalidLines.has(l)) return reject(l, 'not valid UTF-8');
    }
    if (fields.length !== header.length) {
      return reject(
        line,
        `expected ${header.length} ${delimiterName}-separated fields as in the header, found ${fields.length}`,
      );
    }
    const label = readLabel(fields[labelIndex]);
    if (label === null)
      return reject(line, `unknown label "${fields[labelIndex].slice(0, 40)}" (${ACCEPTED_LABELS})`);
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
    for await (const chunk of readTextChunks(file, invalidLines)) {
      if (parser === null) ({ parser, delimiterName } = csvParserFor(file, chunk));
      parser.push(chunk, onRecord);
    }
    parser?.end(onRecord);
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      throw new DatasetError(file, error.line, `malformed CSV: ${error.message}`, { cause: error });
    }
    throw error;
  }
  if (header === null) throw new DatasetError(file, null, 'the file is empty');
  return { texts, labels: Uint8Array.from(labels), source: file, skipped, otherLabels };
}
