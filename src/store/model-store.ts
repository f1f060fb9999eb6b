/** Where model artifacts live: a filesystem path or an S3 URI. */
export interface ModelStore {
  /** The artifact's bytes. */
  read(uri: string): Promise<Uint8Array>;
  /** Writes the artifact atomically (readers never see a part). */
  write(uri: string, bytes: Uint8Array): Promise<void>;
}

export class ModelNotFoundError extends Error {
  override readonly name = 'ModelNotFoundError';
}
