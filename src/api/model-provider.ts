import type { LoadedModel } from '../store/load-model.js';

/**
 * Loads the model; given the one loaded now, may return it unchanged when nothing is newer. Gives up
 * when `signal` aborts.
 */
export type ModelLoader = (
  current: LoadedModel | undefined,
  signal: AbortSignal | undefined,
) => Promise<LoadedModel>;

/** How a due refresh happens: in the background (a long-lived server), or inside the request (Lambda). */
export type RefreshMode = 'background' | 'inline';

export interface ModelStatus {
  loaded: boolean;
  version?: string;
  lastError?: string;
}

/**
 * Loads the model once per process and caches it. Concurrent first callers share one load; a
 * failed load is not cached, so a later request tries again. With `refreshMs`, a request after that
 * long reloads (a promoted or rolled-back version reaches warm processes); if the reload fails, the
 * last good model keeps serving. In `inline` mode (Lambda, which freezes the process between
 * requests) the reload happens inside the request that finds it due, within that request's
 * deadline, so nothing is left running across a freeze; in `background` mode the request does not
 * wait for it.
 */
export class ModelProvider {
  private model: LoadedModel | null = null;
  /** The load in flight, first or refresh: callers share it instead of starting another. */
  private pending: Promise<LoadedModel> | null = null;
  private lastError: string | undefined;
  /** Milliseconds the last load of a new version took. */
  loadMs: number | null = null;
  private loadedAt = 0;

  constructor(
    private readonly loader: ModelLoader,
    private readonly onLoad: (model: LoadedModel, ms: number) => void = () => {},
    private readonly onFailure: (error: unknown) => void = () => {},
    private readonly refreshMs: number | null = null,
    private readonly now: () => number = () => Date.now(),
    private readonly mode: RefreshMode = 'background',
  ) {}

  /** The model, loading it if needed; `signal` bounds this caller's wait (and a load it starts). */
  async get(signal?: AbortSignal): Promise<LoadedModel> {
    if (this.model) {
      const due = this.refreshMs !== null && this.now() - this.loadedAt >= this.refreshMs;
      if (due && this.mode === 'inline') {
        await this.refresh(signal);
        return this.model;
      }
      if (due && !this.pending) void this.refresh();
      return this.model;
    }
    return this.pending ?? this.load(signal);
  }

  /** Reloads; the current model serves until a good one replaces it. Never rejects. */
  refresh(signal?: AbortSignal): Promise<void> {
    return (this.pending ?? this.load(signal)).then(
      () => {},
      () => {},
    );
  }

  status(): ModelStatus {
    return { loaded: this.model !== null, version: this.model?.version, lastError: this.lastError };
  }

  private load(signal?: AbortSignal): Promise<LoadedModel> {
    const started = performance.now();
    const previous = this.model;
    this.pending = this.loader(previous ?? undefined, signal).then(
      (model) => {
        this.pending = null;
        this.loadedAt = this.now();
        this.lastError = undefined;
        if (model.version !== previous?.version) {
          this.loadMs = performance.now() - started;
          this.onLoad(model, this.loadMs);
        }
        this.model = model;
        return model;
      },
      (error: unknown) => {
        this.pending = null;
        // Without a model the next request tries again; with one, the next refresh is an interval away.
        this.loadedAt = this.now();
        this.lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        this.onFailure(error);
        throw error;
      },
    );
    return this.pending;
  }
}
