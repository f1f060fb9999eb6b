import { type DecodeOptions, decodeModel, modelVersion } from '../model/artifact.js';
import type { SentimentModel } from '../model/sentiment-model.js';
import { FileModelStore } from './file-store.js';
import { isManifestUri } from './manifest-uri.js';
import { ModelNotFoundError, type ModelStore, maxModelBytes, readIfPresent } from './model-store.js';

export interface LoadedModel {
  model: SentimentModel;
  uri: string;
  version: string;
  bytes: number;
  /** The file as read: the model's arrays are views into it, so keeping it costs nothing. */
  artifact: Uint8Array;
}

/** The store for a URI: S3 for s3://, the filesystem otherwise; it reads artifacts of at most `maxBytes`. */
export async function storeFor(uri: string, maxBytes = maxModelBytes()): Promise<ModelStore> {
  if (uri.startsWith('s3://')) {
    const { S3ModelStore } = await import('./s3-store.js');
    return new S3ModelStore(undefined, undefined, undefined, maxBytes);
  }
  return new FileModelStore(maxBytes);
}

/**
 * Reads, verifies and decodes the model at `uri`: an artifact, or a `manifest.json` whose current
 * version is then loaded (and must have that version's checksum). Given the model already loaded,
 * a manifest that still names its version costs one small read and returns it unchanged.
 */
export async function loadModel(
  uri: string,
  store?: ModelStore,
  current?: LoadedModel,
  /** Gives up (StoreTimeoutError) when it aborts: a deadline inside the caller's own. */
  signal?: AbortSignal,
  decode: DecodeOptions = {},
): Promise<LoadedModel> {
  const source = store ?? (await storeFor(uri));
  let artifactUri = uri;
  let expected: string | null = null;
  let manifests: typeof import('./manifest.js') | null = null;
  if (isManifestUri(uri)) {
    // Loaded only for a manifest (a plain artifact's cold start skips its schema), while it is read.
    const [module, raw] = await Promise.all([
      import('./manifest.js'),
      readIfPresent(source, uri, { signal }),
    ]);
    manifests = module;
    if (raw === null) throw new ModelNotFoundError(`no manifest at ${uri}`);
    const { currentEntry, entryUri, parseManifest } = manifests;
    const manifest = parseManifest(raw, uri);
    const entry = currentEntry(manifest);
    if (current && current.version === entry.version) return current;
    artifactUri = entryUri(uri, entry);
    expected = entry.version;
  }
  const bytes = await source.read(artifactUri, { signal });
  const model = decodeModel(bytes, artifactUri, decode);
  const version = modelVersion(bytes);
  if (manifests !== null && expected !== null && version !== expected) {
    throw new manifests.ManifestError(
      `${artifactUri} is version ${version.slice(0, 12)}, the manifest says ${expected.slice(0, 12)}`,
    );
  }
  return { model, uri: artifactUri, version, bytes: bytes.length, artifact: bytes };
}
