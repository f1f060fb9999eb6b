import type { LoadedModel } from '../store/load-model.js';

export type ModelLoader = () => Promise<LoadedModel>;

export interface ModelStatus {
  loaded: boolean;
  version?: string;
  lastError?: string;
}

/**
 * Loads the model once per process and caches it. Concurrent first callers share one load; a
 * failed load is not cached, so a later request tries again.
 */
export class ModelProvider {
  private model: LoadedModel | null = null;
  private pending: Promise<LoadedModel> | null = null;
  private lastError: string | undefined;
  /** Milliseconds the last successful load took. */
  loadMs: number | null = null;

  constructor(
    private readonly loader: ModelLoader,
    private readonly onLoad: (model: LoadedModel, ms: number) => void = () => {},
    private readonly onFailure: (error: unknown) => void = () => {},
  ) {}

  get(): Promise<LoadedModel> {
    if (this.model) return Promise.resolve(this.model);
    if (!this.pending) {
      const started = performance.now();
      this.pending = this.loader().then(
        (model) => {
          this.model = model;
          this.pending = null;
          this.lastError = undefined;
          this.loadMs = performance.now() - started;
          this.onLoad(model, this.loadMs);
          return model;
        },
        (error: unknown) => {
          this.pending = null;
          this.lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          this.onFailure(error);
          throw error;
        },
      );
    }
    return this.pending;
  }

  status(): ModelStatus {
    return { loaded: this.model !== null, version: this.model?.version, lastError: this.lastError };
  }
}
