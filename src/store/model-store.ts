import { SentimentError } from '../errors.js';

/** Where model artifacts live: a filesystem path or an S3 URI. */
export interface ModelStore {
  /** The artifact's bytes; gives up (StoreTimeoutError) when `signal` aborts. */
  read(uri: string, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
  /** Writes the artifact atomically (readers never see a part); gives up when `signal` aborts. */
  write(uri: string, bytes: Uint8Array, options?: { signal?: AbortSignal }): Promise<void>;
}

/** Largest artifact a store reads (MAX_MODEL_BYTES, default 512 MiB): the default model is 8.5 MB. */
export const MAX_MODEL_BYTES = (() => {
  const raw = Number(process.env.MAX_MODEL_BYTES);
  return Number.isInteger(raw) && raw > 0 ? raw : 512 * 1024 * 1024;
})();

/** A store operation that ran out of time. */
export class StoreTimeoutError extends SentimentError {
  override readonly name = 'StoreTimeoutError';
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('store_timeout', message, options);
  }
}

export class ModelNotFoundError extends SentimentError {
  override readonly name = 'ModelNotFoundError';
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('model_not_found', message, {
      hint: 'train one ("npx sentiment train --data <file> --out models/default") or point --model / MODEL_URI at a model file',
      ...options,
    });
  }
}
