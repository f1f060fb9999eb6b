import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { countShard, countTerms } from '../model/count-ngrams.js';
import { mergeTermCounts, type ShardCounts } from '../model/merge-counts.js';
import { CsrMatrix } from '../model/sparse.js';
import type { TermCounts } from '../model/vectorizer.js';
import type { AnalyzerOptions } from '../text/analyzer.js';
import { encodeTexts } from '../text/encoded-texts.js';
import { startWorker } from '../worker-threads.js';

/** Below this many documents a thread costs more to start than it saves. */
export const MIN_DOCUMENTS_PER_THREAD = 2000;

/** How many counting threads to use by default: every core the process may use. */
export function defaultThreads(): number {
  return availableParallelism();
}

/**
 * Counting threads, which can be started before their documents exist (while the data is read): a
 * thread takes 100-200 ms to start, most of it loading its modules, which then overlaps with the
 * reading instead of delaying the count. Each counts the shards it is given, one at a time, for as
 * many counts as it serves; idle, it does not keep the process alive. `close` ends them.
 */
export class CountingThreads {
  private readonly idle: Worker[] = [];
  private closed = false;
  private started = 0;

  /** Starts `ahead` threads now (none by default: `take` starts them as needed). */
  constructor(ahead = 0) {
    for (let i = 0; i < ahead; i++) this.idle.push(this.start());
  }

  /** How many threads it has started. */
  get threadsStarted(): number {
    return this.started;
  }

  /** An idle thread, else a new one. It is busy until given back (`release`). */
  take(): Worker {
    return this.idle.shift() ?? this.start();
  }

  /** Takes back a thread that counted its shard; one that failed is ended. */
  release(worker: Worker, failed: boolean): void {
    if (this.closed || failed) void worker.terminate();
    else {
      worker.unref();
      this.idle.push(worker);
    }
  }

  /** Ends the threads: those idle now, and those busy when they are given back. */
  close(): void {
    this.closed = true;
    for (const worker of this.idle.splice(0)) void worker.terminate();
  }

  private start(): Worker {
    this.started++;
    const worker = startWorker(import.meta.url, 'count-worker');
    worker.unref();
    // One that fails while idle (to start, say) is not handed out; a count it was given reports the error.
    worker.on('error', () => {});
    worker.once('exit', () => {
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
    });
    return worker;
  }
}

/** Counting threads to start ahead for `threads` threads in all: the calling thread counts a shard too. */
export function countingThreadsFor(threads = defaultThreads()): CountingThreads {
  return new CountingThreads(Math.max(0, threads - 1));
}

/**
 * Counts the n-grams of `documents` on up to `threads` threads, each over a consecutive shard, then
 * merges the shards (`mergeTermCounts`): the same counts as `countTerms` in one pass, so the fit that
 * follows is the same bit for bit. The calling thread counts the first shard itself (it would
 * otherwise wait idle) while worker threads count the others: those of `started`, else threads
 * started now and ended after. One thread, or few documents, counts in place.
 */
export async function countTermsInParallel(
  documents: readonly string[],
  options: AnalyzerOptions,
  threads = defaultThreads(),
  onProgress?: (done: number, total: number) => void,
  started?: CountingThreads,
): Promise<TermCounts> {
  const shardCount = Math.max(1, Math.min(threads, Math.floor(documents.length / MIN_DOCUMENTS_PER_THREAD)));
  if (shardCount === 1) return countTerms(documents, options, onProgress);
  const size = Math.ceil(documents.length / shardCount);
  const done = new Array<number>(shardCount).fill(0);
  const report = () =>
    onProgress?.(
      done.reduce((a, b) => a + b, 0),
      documents.length,
    );
  const pool = started ?? new CountingThreads();
  const later = Array.from({ length: shardCount - 1 }, (_, j) =>
    countOnThread(pool, documents.slice((j + 1) * size, (j + 2) * size), options, (n) => {
      done[j + 1] = n;
      report();
    }),
  );
  // Threads started here end when they are done.
  if (started === undefined) pool.close();
  // Here, meanwhile. Its pair table and rows become the merge's: room for every shard's.
  const first = countShard(documents.slice(0, size), options, {
    onProgress: (n) => {
      done[0] = n;
      report();
    },
    allDocuments: documents,
    shared: true,
  });
  return mergeTermCounts([first, ...(await Promise.all(later))]);
}

type CountMessage = { type: 'progress'; done: number } | { type: 'done'; shard: ShardCounts };

/** Counts `texts` on a thread of `pool`, given back after. */
function countOnThread(
  pool: CountingThreads,
  texts: string[],
  options: AnalyzerOptions,
  onProgress: (done: number) => void,
): Promise<ShardCounts> {
  const worker = pool.take();
  worker.ref();
  let failed = false;
  return new Promise<ShardCounts>((resolve, reject) => {
    const stop = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (message: CountMessage) => {
      if (message.type === 'progress') return onProgress(message.done);
      stop();
      const { raw } = message.shard;
      // Typed arrays arrive as plain views; the matrix arrives as a plain object.
      resolve({
        ...message.shard,
        raw: new CsrMatrix(raw.rows, raw.cols, raw.indptr, raw.indices, raw.data),
      });
    };
    const onError = (error: Error) => {
      stop();
      failed = true;
      reject(error);
    };
    const onExit = (code: number) => onError(new Error(`a counting thread exited with code ${code}`));
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    const encoded = encodeTexts(texts);
    worker.postMessage({ texts: encoded, options }, [encoded.bytes.buffer, encoded.ends.buffer]);
  }).finally(() => pool.release(worker, failed));
}
