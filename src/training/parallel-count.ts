import { availableParallelism } from 'node:os';
import { countTerms, estimatePairs } from '../model/count-ngrams.js';
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
 * Counts the n-grams of `documents` on up to `threads` worker threads, each over a consecutive
 * shard, then merges the shards (`mergeTermCounts`): the same counts as `countTerms` in one pass,
 * so the fit that follows is the same bit for bit. One thread, or few documents, counts in place.
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
  const shards = await Promise.all(
    Array.from({ length: shardCount }, (_, k) =>
      countShard(
        documents.slice(k * size, (k + 1) * size),
        options,
        (n) => {
          done[k] = n;
          report();
        },
        // The first shard's pair table becomes the merge's: room for every shard's pairs.
        k === 0 ? estimatePairs(documents, options) : undefined,
      ),
    ),
  );
  return mergeTermCounts(shards);
}

function countShard(
  texts: string[],
  options: AnalyzerOptions,
  onProgress: (done: number) => void,
  expectedPairs?: number,
): Promise<ShardCounts> {
  const worker = startWorker(import.meta.url, 'count-worker', {
    workerData: { texts, options, expectedPairs },
  });
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
