import { SentimentError } from '../errors.js';

/** A command-line mistake: printed with the command's help, exit code 2. */
export class UsageError extends SentimentError {
  override readonly name = 'UsageError';
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('usage', message, options);
  }
}
