import type { DecodeOptions } from '../model/artifact.js';
import { loadModel, storeFor } from '../store/load-model.js';
import { isManifestUri } from '../store/manifest.js';
import type { ModelStore } from '../store/model-store.js';
import { type AppDependencies, createApp } from './app.js';
import type { ApiConfig } from './config.js';
import { ModelProvider, type RefreshMode } from './model-provider.js';
import type { Telemetry } from './telemetry.js';

/**
 * Wires the app to its model: loaded lazily from `config.modelUri` through `store` (by URI when
 * absent). `platform` says how the host runs it: Lambda refreshes inside requests (`inline`) and
 * bounds each request's model wait by the invocation's remaining time.
 */
export function createService(
  config: ApiConfig,
  telemetry: Telemetry,
  store?: ModelStore,
  platform: Pick<AppDependencies, 'deadline' | 'bodyBudget' | 'bodiesInMemory'> & {
    refresh?: RefreshMode;
    /** When each loaded model builds its vocabulary's hash index (`DecodeOptions`); eager by default. */
    vocabularyIndex?: DecodeOptions['vocabularyIndex'];
  } = {},
) {
  // One store (one S3 client and its connections) for the first load, retries and refreshes.
  let source: Promise<ModelStore> | undefined;
  const storeOnce = () => {
    source ??= store ? Promise.resolve(store) : storeFor(config.modelUri, config.maxModelBytes);
    return source;
  };
  const models = new ModelProvider(
    async (current, signal) =>
      loadModel(config.modelUri, await storeOnce(), current, signal, {
        vocabularyIndex: platform.vocabularyIndex,
      }),
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
    undefined,
    platform.refresh ?? 'background',
  );
  return {
    app: createApp({
      config,
      models,
      telemetry,
      deadline: platform.deadline,
      bodyBudget: platform.bodyBudget,
      bodiesInMemory: platform.bodiesInMemory,
    }),
    models,
  };
}
