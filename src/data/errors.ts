import { SentimentError } from '../errors.js';

/** A dataset that cannot be used, naming the file and, where there is one, the line. */
export class DatasetError extends SentimentError {
  override readonly name = 'DatasetError';
  constructor(
    readonly file: string,
    readonly line: number | null,
    detail: string,
    options: { cause?: unknown; hint?: string } = {},
  ) {
    super('dataset_invalid', `${file}${line === null ? '' : `:${line}`}: ${detail}`, options);
  }
}
