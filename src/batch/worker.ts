import { parentPort, workerData } from 'node:worker_threads';
import { decodeModel } from '../model/artifact.js';
import { type AbstentionPolicy, toResult } from '../model/prediction.js';

/** A scoring thread: decodes the model once, then answers batches of texts in order. */
const { bytes, policy } = workerData as { bytes: Uint8Array; policy: AbstentionPolicy };
const model = decodeModel(bytes);
parentPort?.on('message', (message: { id: number; texts: Array<string | null> }) => {
  const results = message.texts.map((text) => (text === null ? null : toResult(model.predict(text), policy)));
  parentPort?.postMessage({ id: message.id, results });
});
