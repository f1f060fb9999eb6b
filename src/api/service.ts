import { loadModel, storeFor } from '../store/load-model.js';
import { isManifestUri } from '../store/manifest.js';
import type { ModelStore } from '../store/model-store.js';
import { createApp } from './app.js';
import type { ApiConfig } from './config.js';
import { ModelProvider } from './model-provider.js';
import type { Telemetry } from './telemetry.js';

/** Wires the app to its model: loaded lazily from `config.modelUri` through `store` (by URI when absent). */
export function createService(config: ApiConfig, telemetry: Telemetry, store?: ModelStore) {
  // One store (one S3 client and its connections) for the first load, retries and refreshes.
  let source: Promise<ModelStore> | undefined;
  const storeOnce = () => {
    source ??= store ? Promise.resolve(store) : storeFor(config.modelUri);
    return source;
  };
  const models = new ModelProvider(
    async (current) => loadModel(config.modelUri, await storeOnce(), current),
    (loaded, ms) =>
      telemetry.modelLoaded({
        uri: loaded.uri,
        version: loaded.version,
        bytes: loaded.bytes,
        ms,
        vocabularySize: loaded.model.vocabularySize,
      }),
    (error) => telemetry.modelLoadFailed(error),
    // Only a manifest can change under the same URI; an artifact URI is loaded once.
    isManifestUri(config.modelUri) ? config.modelRefreshMs : null,
  );
  return { app: createApp({ config, models, telemetry }), models };
}
