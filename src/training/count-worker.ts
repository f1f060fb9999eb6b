import { parentPort } from 'node:worker_threads';
import { countShard } from '../model/count-ngrams.js';
import type { AnalyzerOptions } from '../text/analyzer.js';
import type { EncodedTexts } from '../text/encoded-texts.js';

/**
 * A counting thread: for each shard of documents it is sent (UTF-8, `EncodedTexts`), counts their n-grams and sends them
 * back, shared or moved, not copied. It waits for shards until it is terminated, so it can be
 * started before the documents are read (`CountingThreads`).
 */
parentPort?.on('message', ({ texts, options }: { texts: EncodedTexts; options: AnalyzerOptions }) => {
  const shard = countShard(texts, options, {
    onProgress: (done) => parentPort?.postMessage({ type: 'progress', done }),
    shared: true,
  });
  // The rows are in shared memory: sent as they are. The rest is moved.
  const { bytes, starts, prefixes, lasts, pairs } = shard;
  parentPort?.postMessage({ type: 'done', shard }, [
    bytes.buffer,
    starts.buffer,
    prefixes.buffer,
    lasts.buffer,
    pairs.buffer,
  ] as ArrayBuffer[]);
});
