import { SentimentError } from '../errors.js';

/** Why an artifact was refused. */
export type ModelLoadReason =
  | 'bad-magic'
  | 'unsupported-version'
  | 'truncated'
  | 'checksum-mismatch'
  | 'bad-header'
  | 'bad-section'
  | 'bad-values';

/**
 * An artifact that is not a model this version can load; `reason` says which check failed, and the
 * code is `model_<reason>` (`model_checksum_mismatch`, ...).
 */
export class ModelLoadError extends SentimentError {
  override readonly name = 'ModelLoadError';
  constructor(
    readonly reason: ModelLoadReason,
    message: string,
    options: { cause?: unknown; hint?: string } = {},
  ) {
    super(`model_${reason.replace(/-/g, '_')}`, message, { hint: HINTS[reason], ...options });
  }
}

const HINTS: Partial<Record<ModelLoadReason, string>> = {
  'bad-magic':
    'a .sntm file from "sentiment train" or "sentiment import-sklearn" is needed; a scikit-learn pickle or joblib file converts with tools/export-sklearn.py and "sentiment import-sklearn"',
  'unsupported-version': 'this file is from a newer release: upgrade serverless-sentiment, or retrain',
  truncated: 'the file is incomplete: copy or download it again',
  'checksum-mismatch': 'the file was altered or damaged after it was written: copy or download it again',
  'bad-values':
    'the file passed its checksum but holds numbers no trained model has: retrain, and do not use files from untrusted sources',
};
