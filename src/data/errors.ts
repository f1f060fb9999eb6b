/** A dataset that cannot be used, naming the file and, where there is one, the line. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  constructor(
    readonly file: string,
    readonly line: number | null,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}${line === null ? '' : `:${line}`}: ${detail}`, options);
  }
}
