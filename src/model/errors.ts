/** Why an artifact was refused. */
export type ModelLoadReason =
  | 'bad-magic'
  | 'unsupported-version'
  | 'truncated'
  | 'checksum-mismatch'
  | 'bad-header'
  | 'bad-section';

/** An artifact that is not a model this version can load; `reason` says which check failed. */
export class ModelLoadError extends Error {
  override readonly name = 'ModelLoadError';
  constructor(
    readonly reason: ModelLoadReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
