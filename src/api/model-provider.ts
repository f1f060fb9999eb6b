import type { LoadedModel } from '../store/load-model.js';

/** Loads the model; given the one loaded now, may return it unchanged when nothing is newer. */
export type ModelLoader = (current?: LoadedModel) => Promise<LoadedModel>;

export interface ModelStatus {
  loaded: boolean;
  version?: string;
  lastError?: string;
}

/**
 * Loads the model once per process and caches it. Concurrent first callers share one load; a
 * failed load is not cached, so a later request tries again. With `refreshMs`, a request after that
 * long reloads in the background (a promoted or rolled-back version reaches warm processes); if the
 * reload fails, the last good model keeps serving.
 */
export class ModelProvider {
  private model: LoadedModel | null = null;
  private pending: Promise<LoadedModel> | null = null;
  private lastError: string | undefined;
  /** Milliseconds the last successful load took. */
  loadMs: number | null = null;
  private loadedAt = 0;
  private refreshing = false;

  constructor(
    private readonly loader: ModelLoader,
    private readonly onLoad: (model: LoadedModel, ms: number) => void = () => {},
    private readonly onFailure: (error: unknown) => void = () => {},
    private readonly refreshMs: number | null = null,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get(): Promise<LoadedModel> {
    if (this.model) {
      if (this.refreshMs !== null && !this.refreshing && this.now() - this.loadedAt >= this.refreshMs)
        this.refresh();
      return Promise.resolve(this.model);
    }
    if (!this.pending) {
      const started = performance.now();
      this.pending = this.loader().then(
        (model) => {
          this.model = model;
          this.loadedAt = this.now();
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

  /** Reloads in the background; the current model serves until a good one replaces it. */
  refresh(): Promise<void> {
    this.refreshing = true;
    const started = performance.now();
    return this.loader(this.model ?? undefined).then(
      (model) => {
        if (model.version !== this.model?.version) this.onLoad(model, performance.now() - started);
        this.model = model;
        this.loadedAt = this.now();
        this.lastError = undefined;
        this.refreshing = false;
      },
      (error: unknown) => {
        // Try again after another interval, not on every request.
        this.loadedAt = this.now();
        this.lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        this.onFailure(error);
        this.refreshing = false;
      },
    );
  }

  status(): ModelStatus {
    return { loaded: this.model !== null, version: this.model?.version, lastError: this.lastError };
  }
}
