import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { AbstentionPolicy, PredictionResult } from '../model/prediction.js';
import { startWorker } from '../worker-threads.js';

type Answer = Array<PredictionResult | null>;

/**
 * Worker threads that each hold the model and score batches; `score` resolves in submission order
 * regardless of which thread finishes first. Source runs (tests, tsx) load the worker through tsx.
 */
export class ScoringPool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<
    number,
    { resolve: (a: Answer) => void; reject: (e: unknown) => void }
  >();
  private next = 0;

  constructor(bytes: Uint8Array, policy: AbstentionPolicy, size = availableParallelism()) {
    this.workers = Array.from({ length: Math.max(1, size) }, () => {
      const worker = startWorker(import.meta.url, 'worker', { workerData: { bytes, policy } });
      worker.on('message', ({ id, results }: { id: number; results: Answer }) => {
        this.waiting.get(id)?.resolve(results);
        this.waiting.delete(id);
      });
      worker.on('error', (error) => {
        for (const pending of this.waiting.values()) pending.reject(error);
        this.waiting.clear();
      });
      return worker;
    });
  }

  get size(): number {
    return this.workers.length;
  }

  /** Scores one batch on the next thread in turn. */
  score(texts: Array<string | null>): Promise<Answer> {
    const id = this.next++;
    const worker = this.workers[id % this.workers.length];
    return new Promise<Answer>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, texts });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
