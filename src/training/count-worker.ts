import { parentPort, workerData } from 'node:worker_threads';
import { countShard } from '../model/count-ngrams.js';
import type { AnalyzerOptions } from '../text/analyzer.js';

/** A counting thread: counts the n-grams of its shard of documents and sends them back, shared or moved, not copied. */
const { texts, options } = workerData as { texts: string[]; options: AnalyzerOptions };
const shard = countShard(
  texts,
  options,
  (done) => parentPort?.postMessage({ type: 'progress', done }),
  undefined,
  true,
);
// The rows are in shared memory: sent as they are. The rest is moved.
const { bytes, starts, prefixes, lasts, pairs } = shard;
parentPort?.postMessage({ type: 'done', shard }, [
  bytes.buffer,
  starts.buffer,
  prefixes.buffer,
  lasts.buffer,
  pairs.buffer,
] as ArrayBuffer[]);
