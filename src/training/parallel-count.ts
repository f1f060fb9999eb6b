import { availableParallelism } from 'node:os';
import { countShard, countTerms, estimatePairs } from '../model/count-ngrams.js';
import { mergeTermCounts, type ShardCounts } from '../model/merge-counts.js';
import { CsrMatrix } from '../model/sparse.js';
import type { TermCounts } from '../model/vectorizer.js';
import type { AnalyzerOptions } from '../text/analyzer.js';
import { startWorker } from '../worker-threads.js';

/** Below this many documents a thread costs more to start than it saves. */
export const MIN_DOCUMENTS_PER_THREAD = 2000;

/** How many counting threads to use by default: every core the process may use. */
export function defaultThreads(): number {
  return availableParallelism();
}

/**
 * Counts the n-grams of `documents` on up to `threads` threads, each over a consecutive shard, then
 * merges the shards (`mergeTermCounts`): the same counts as `countTerms` in one pass, so the fit that
 * follows is the same bit for bit. The calling thread counts the first shard itself while worker
 * threads start and count the others: it would otherwise wait idle, and a worker takes a while to
 * start. One thread, or few documents, counts in place.
 */
export async function countTermsInParallel(
  documents: readonly string[],
  options: AnalyzerOptions,
  threads = defaultThreads(),
  onProgress?: (done: number, total: number) => void,
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
  const later = Array.from({ length: shardCount - 1 }, (_, j) =>
    countOnThread(documents.slice((j + 1) * size, (j + 2) * size), options, (n) => {
      done[j + 1] = n;
      report();
    }),
  );
  // Here, while the threads start. Its pair table becomes the merge's: room for every shard's pairs.
  const first = countShard(
    documents.slice(0, size),
    options,
    (n) => {
      done[0] = n;
      report();
    },
    estimatePairs(documents, options),
    true,
  );
  return mergeTermCounts([first, ...(await Promise.all(later))]);
}

function countOnThread(
  texts: string[],
  options: AnalyzerOptions,
  onProgress: (done: number) => void,
): Promise<ShardCounts> {
  const worker = startWorker(import.meta.url, 'count-worker', { workerData: { texts, options } });
  return new Promise((resolve, reject) => {
    worker.on(
      'message',
      (message: { type: 'progress'; done: number } | { type: 'done'; shard: ShardCounts }) => {
        if (message.type === 'progress') return onProgress(message.done);
        const { raw } = message.shard;
        // Typed arrays arrive as plain views; the matrix arrives as a plain object.
        resolve({
          ...message.shard,
          raw: new CsrMatrix(raw.rows, raw.cols, raw.indptr, raw.indices, raw.data),
        });
        void worker.terminate();
      },
    );
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`a counting thread exited with code ${code}`));
    });
  });
}
