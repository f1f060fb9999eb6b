import { detectColumn, LABEL_COLUMNS, TEXT_COLUMNS } from '../data/csv-dataset.js';
import { DatasetError } from '../data/errors.js';
import { parseLabel } from '../data/labels.js';
import { openRows } from '../data/rows.js';
import { SentimentError } from '../errors.js';
import { encodeModel, precisionOf } from '../model/artifact.js';
import { type AbstentionPolicy, type PredictionResult, toResult } from '../model/prediction.js';
import type { SentimentModel } from '../model/sentiment-model.js';
import { createAtomicWriteStream } from '../store/atomic-write.js';
import { ScoringPool } from './pool.js';

export interface ScoreFileOptions {
  model: SentimentModel;
  /** The model file's bytes, for worker threads (each decodes its own copy); re-encoded when absent. */
  modelBytes?: Uint8Array;
  input: string;
  /** `.csv` or `.jsonl` (by extension). */
  output: string;
  /** Input columns copied to the output, in this order (an id, a product...). */
  keep?: string[];
  textColumn?: string;
  labelColumn?: string;
  policy: AbstentionPolicy;
  /** Threads scoring in parallel; 1 scores on the main thread. */
  workers?: number;
  batchSize?: number;
  /** Rows written so far and the share of the input read (0 to 1), after each batch. */
  onProgress?: (rows: number, fractionRead: number) => void;
}

export interface ScoreFileSummary {
  rows: number;
  scored: number;
  /** Rows with no text to score (empty), written with an `error` and no prediction. */
  errors: number;
  /** Accuracy on rows whose label column holds a known label, when there is one. */
  accuracy: number | null;
  labelled: number;
  seconds: number;
  workers: number;
}

const PREDICTION_COLUMNS = [
  'sentiment',
  'confidence',
  'probabilityPositive',
  'coverage',
  'abstained',
  'priorOnly',
  'error',
] as const;

/**
 * Scores every row of a CSV or JSON Lines file into a new CSV or JSON Lines file, streaming both, in
 * input order: the kept columns, then the prediction's fields. The output appears under its name only
 * when complete (written beside it, then renamed), so a failure leaves any previous file intact.
 */
export async function scoreFile(options: ScoreFileOptions): Promise<ScoreFileSummary> {
  const started = performance.now();
  const source = await openRows(options.input);
  const pick = (wanted: string | undefined, candidates: string[], role: string, required: boolean) => {
    if (wanted !== undefined) {
      if (!source.columns.includes(wanted))
        throw new DatasetError(
          options.input,
          1,
          `no column named "${wanted}" (columns: ${source.columns.join(', ')})`,
        );
      return wanted;
    }
    const found = source.columns[detectColumn(source.columns, candidates)];
    if (found === undefined && required)
      throw new DatasetError(options.input, 1, `no ${role} column among ${source.columns.join(', ')}`, {
        hint: `name it with --${role}-column`,
      });
    return found;
  };
  const textColumn = pick(options.textColumn, TEXT_COLUMNS, 'text', true) as string;
  const labelColumn = pick(options.labelColumn, LABEL_COLUMNS, 'label', false);
  const keep = options.keep ?? [];
  for (const column of keep)
    if (!source.columns.includes(column))
      throw new DatasetError(
        options.input,
        1,
        `--keep ${column}: no such column (columns: ${source.columns.join(', ')})`,
      );
  const format = /\.jsonl$|\.ndjson$/i.test(options.output)
    ? 'jsonl'
    : /\.csv$/i.test(options.output)
      ? 'csv'
      : null;
  if (format === null)
    throw new SentimentError('output_format', `--out ${options.output}: write .csv or .jsonl`);

  const out = await createAtomicWriteStream(options.output);
  const write = out.write;
  const workers = Math.max(1, options.workers ?? 1);
  const pool =
    workers > 1
      ? new ScoringPool(
          options.modelBytes ?? encodeModel(options.model, { precision: precisionOf(options.model) }),
          options.policy,
          workers,
        )
      : null;
  const summary: ScoreFileSummary = {
    rows: 0,
    scored: 0,
    errors: 0,
    accuracy: null,
    labelled: 0,
    seconds: 0,
    workers,
  };
  let correct = 0;
  try {
    if (format === 'csv') await write(`${[...keep, ...PREDICTION_COLUMNS].map(csvCell).join(',')}\n`);
    const batchSize = options.batchSize ?? 500;
    type Batch = {
      rows: Array<{ values: Record<string, unknown> }>;
      answers: Promise<Array<PredictionResult | null>>;
    };
    const inFlight: Batch[] = [];
    const flush = async (batch: Batch) => {
      const answers = await batch.answers;
      let text = '';
      batch.rows.forEach(({ values }, i) => {
        const answer = answers[i];
        summary.rows++;
        if (answer === null) summary.errors++;
        else summary.scored++;
        if (answer && labelColumn !== undefined) {
          const label = parseLabel(values[labelColumn]);
          if (label !== null) {
            summary.labelled++;
            if ((answer.sentiment === 'positive') === (label === 1)) correct++;
          }
        }
        const kept = keep.map((c) => values[c]);
        const fields = answer
          ? [
              answer.sentiment,
              answer.confidence,
              answer.probabilityPositive,
              answer.coverage,
              answer.abstained,
              answer.priorOnly,
              '',
            ]
          : ['', '', '', '', '', '', 'empty_review'];
        if (format === 'csv') text += `${[...kept, ...fields].map(csvCell).join(',')}\n`;
        else {
          const record: Record<string, unknown> = {};
          keep.forEach((c, k) => {
            record[c] = kept[k];
          });
          PREDICTION_COLUMNS.forEach((c, k) => {
            if (c === 'error') {
              if (!answer) record.error = 'empty_review';
            } else if (answer) record[c] = fields[k];
          });
          text += `${JSON.stringify(record)}\n`;
        }
      });
      await write(text);
      options.onProgress?.(summary.rows, source.fractionRead());
    };
    let rows: Batch['rows'] = [];
    const submit = async () => {
      const texts = rows.map(({ values }) => {
        const text = values[textColumn];
        return typeof text === 'string' && text.trim() !== '' ? text : null;
      });
      const answers = pool
        ? pool.score(texts)
        : Promise.resolve(
            texts.map((t) => (t === null ? null : toResult(options.model.predict(t), options.policy))),
          );
      inFlight.push({ rows, answers });
      rows = [];
      // Bounded memory: at most two batches per thread waiting.
      while (inFlight.length > workers * 2) await flush(inFlight.shift()!);
    };
    for await (const row of source.rows) {
      rows.push({ values: row.values });
      if (rows.length >= batchSize) await submit();
    }
    if (rows.length > 0) await submit();
    while (inFlight.length > 0) await flush(inFlight.shift()!);
    await out.commit();
  } catch (error) {
    await out.abort();
    throw error;
  } finally {
    await pool?.close();
  }
  summary.accuracy = summary.labelled > 0 ? correct / summary.labelled : null;
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

/** One CSV field, quoted when it must be (RFC 4180). */
export function csvCell(value: unknown): string {
  const text =
    value === undefined || value === null
      ? ''
      : typeof value === 'string'
        ? value
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
