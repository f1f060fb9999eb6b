import { SentimentError } from '../errors.js';

/** Where model artifacts live: a filesystem path or an S3 URI. */
export interface ModelStore {
  /** The artifact's bytes; gives up (StoreTimeoutError) when `signal` aborts. */
  read(uri: string, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
  /** Writes the artifact atomically (readers never see a part); gives up when `signal` aborts. */
  write(uri: string, bytes: Uint8Array, options?: { signal?: AbortSignal }): Promise<void>;
}

/** Largest artifact a store reads unless MAX_MODEL_BYTES says otherwise: the default model is 8.5 MB. */
export const DEFAULT_MAX_MODEL_BYTES = 512 * 1024 * 1024;

/**
 * MAX_MODEL_BYTES from the environment, validated: a value that is not a positive whole number of
 * bytes is an error naming it, not silently the default.
 */
export function maxModelBytes(env: Record<string, string | undefined> = process.env): number {
  const raw = env.MAX_MODEL_BYTES;
  if (raw === undefined || raw.trim() === '') return DEFAULT_MAX_MODEL_BYTES;
  const bytes = Number(raw);
  if (!Number.isSafeInteger(bytes) || bytes <= 0)
    throw new SentimentError(
      'config_invalid',
      `invalid environment: MAX_MODEL_BYTES: "${raw}" is not a positive whole number of bytes`,
    );
  return bytes;
}

/** An artifact over `maxBytes`, refused unread (`bytes` when its size was declared). */
export function modelTooLarge(uri: string, maxBytes: number, bytes?: number): SentimentError {
  return new SentimentError(
    'model_too_large',
    `${uri} is ${bytes === undefined ? 'over' : `${bytes} bytes, over`} the ${maxBytes}-byte limit`,
    { hint: 'set MAX_MODEL_BYTES higher if this really is a model' },
  );
}

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

/** The bytes at `uri`, or null when there are none (ModelNotFoundError); other failures are thrown. */
export async function readIfPresent(
  store: ModelStore,
  uri: string,
  options: { signal?: AbortSignal } = {},
): Promise<Uint8Array | null> {
  try {
    return await store.read(uri, options);
  } catch (error) {
    if (error instanceof ModelNotFoundError) return null;
    throw error;
  }
}
