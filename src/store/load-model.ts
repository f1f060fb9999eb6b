import { decodeModel, modelVersion } from '../model/artifact.js';
import type { SentimentModel } from '../model/sentiment-model.js';
import { FileModelStore } from './file-store.js';
import type { ModelStore } from './model-store.js';

export interface LoadedModel {
  model: SentimentModel;
  uri: string;
  version: string;
  bytes: number;
}

/** The store for a URI: S3 for s3://, the filesystem otherwise. */
export async function storeFor(uri: string): Promise<ModelStore> {
  if (uri.startsWith('s3://')) {
    const { S3ModelStore } = await import('./s3-store.js');
    return new S3ModelStore();
  }
  return new FileModelStore();
}

/** Reads, verifies and decodes the model at `uri`. */
export async function loadModel(uri: string, store?: ModelStore): Promise<LoadedModel> {
  const bytes = await (store ?? (await storeFor(uri))).read(uri);
  const model = decodeModel(bytes, uri);
  return { model, uri, version: modelVersion(bytes), bytes: bytes.length };
}
