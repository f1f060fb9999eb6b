/** Where model artifacts live: a filesystem path or an S3 URI. */
export interface ModelStore {
  /** The artifact's bytes; gives up (StoreTimeoutError) when `signal` aborts. */
  read(uri: string, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
  /** Writes the artifact atomically (readers never see a part); gives up when `signal` aborts. */
  write(uri: string, bytes: Uint8Array, options?: { signal?: AbortSignal }): Promise<void>;
}

/** A store operation that ran out of time. */
export class StoreTimeoutError extends Error {
  override readonly name = 'StoreTimeoutError';
}

export class ModelNotFoundError extends Error {
  override readonly name = 'ModelNotFoundError';
}
