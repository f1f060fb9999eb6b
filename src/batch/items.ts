import { detectColumn, TEXT_COLUMNS } from '../data/csv-dataset.js';
import { SentimentError } from '../errors.js';
import { type AbstentionPolicy, toResult } from '../model/prediction.js';
import type { SentimentModel } from '../model/sentiment-model.js';

/**
 * What a Step Functions Distributed Map passes each child with an ItemBatcher: the batch's items
 * (CSV rows as objects keyed by the header, all values strings; JSON Lines rows as parsed) and the
 * fixed `BatchInput` (here: which column is the text, which columns to keep).
 */
export interface DistributedMapBatch {
  Items: unknown[];
  BatchInput?: { textColumn?: string | null; keep?: string[] | string | null };
}

/** One scored row, as a batch job writes it: kept columns, then the prediction or an error. */
export type ScoredItem = Record<string, unknown> & {
  sentiment: string | null;
  confidence: number | null;
  probabilityPositive: number | null;
  coverage: number | null;
  abstained: boolean | null;
  error: string | null;
};

export class BatchInputError extends SentimentError {
  override readonly name = 'BatchInputError';
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('batch_input_invalid', message, options);
  }
}

const EMPTY = {
  sentiment: null,
  confidence: null,
  probabilityPositive: null,
  coverage: null,
  abstained: null,
};

/**
 * Scores one batch of a Distributed Map: one row out per item in, in order. An item with no usable
 * text (missing, not a string, empty, longer than `maxChars`) gets an `error` and no prediction; the
 * others are answered. A batch that is not a batch at all (no `Items` array) is an error: the child
 * fails, and the Map Run's tolerated failure percentage decides the run.
 */
export function scoreItems(
  model: SentimentModel,
  batch: DistributedMapBatch,
  policy: AbstentionPolicy,
  maxChars: number,
): ScoredItem[] {
  if (typeof batch !== 'object' || batch === null || !Array.isArray(batch.Items))
    throw new BatchInputError('the event has no "Items" array: run this function from the Distributed Map');
  const keep = keptColumns(batch.BatchInput?.keep);
  let textColumn = batch.BatchInput?.textColumn ?? null;
  return batch.Items.map((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      return {
        ...EMPTY,
        error: 'the item is not an object (a CSV row with a header, or a JSON Lines object)',
      };
    const row = item as Record<string, unknown>;
    const kept = Object.fromEntries(keep.map((column) => [column, row[column] ?? null]));
    textColumn ??= Object.keys(row)[detectColumn(Object.keys(row), TEXT_COLUMNS)] ?? null;
    if (textColumn === null)
      return {
        ...kept,
        ...EMPTY,
        error: `no text column among ${Object.keys(row).join(', ')} (looked for ${TEXT_COLUMNS.join(', ')}; set textColumn)`,
      };
    const text = row[textColumn];
    if (typeof text !== 'string') return { ...kept, ...EMPTY, error: `"${textColumn}" is not a string` };
    if (text.trim() === '') return { ...kept, ...EMPTY, error: `"${textColumn}" is empty` };
    if (text.length > maxChars)
      return { ...kept, ...EMPTY, error: `"${textColumn}" is over ${maxChars} characters` };
    const { sentiment, confidence, probabilityPositive, coverage, abstained } = toResult(
      model.predict(text),
      policy,
    );
    return { ...kept, sentiment, confidence, probabilityPositive, coverage, abstained, error: null };
  });
}

function keptColumns(keep: string[] | string | null | undefined): string[] {
  if (keep === undefined || keep === null || keep === '') return [];
  const list = Array.isArray(keep) ? keep : keep.split(',');
  return list.map((c) => String(c).trim()).filter((c) => c !== '');
}
