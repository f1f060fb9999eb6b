/**
 * The project's one error family. Every error a user can cause or meet (bad data, a bad model file,
 * bad settings, an unreachable store) is a `SentimentError` with a stable `code` (for scripts, logs
 * and tests) and, where there is one, a `hint` saying how to fix it. The CLI prints message and hint
 * without a stack trace; the API maps its own subclass, `ApiError`, to HTTP statuses. This module
 * imports nothing, so every layer, the pure model core included, may use it.
 */
export class SentimentError extends Error {
  override readonly name: string = 'SentimentError';
  readonly hint: string | undefined;

  constructor(
    readonly code: string,
    message: string,
    options: { cause?: unknown; hint?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
  }
}
