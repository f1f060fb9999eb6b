import { parentPort, workerData } from 'node:worker_threads';
import { toShardCounts } from '../model/merge-counts.js';
import { countTerms } from '../model/vectorizer.js';
import type { AnalyzerOptions } from '../text/analyzer.js';

/** A counting thread: counts the n-grams of its shard of documents and sends them back, moved not copied. */
const { texts, options } = workerData as { texts: string[]; options: AnalyzerOptions };
const shard = toShardCounts(
  countTerms(texts, options, (done) => parentPort?.postMessage({ type: 'progress', done })),
);
const { bytes, lengths, raw } = shard;
parentPort?.postMessage({ type: 'done', shard }, [
  bytes.buffer,
  lengths.buffer,
  raw.indptr.buffer,
  raw.indices.buffer,
  raw.data.buffer,
] as ArrayBuffer[]);
