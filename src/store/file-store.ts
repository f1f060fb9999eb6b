import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { SentimentError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { ModelNotFoundError, type ModelStore, maxModelBytes, modelTooLarge } from './model-store.js';

function toPath(uri: string): string {
  return uri.startsWith('file://') ? fileURLToPath(uri) : uri;
}

/** Models on the local filesystem (paths or file:// URIs). */
export class FileModelStore implements ModelStore {
  constructor(
    /** Largest file read: a model is megabytes, not gigabytes (`/dev/zero` is not a model). */
    readonly maxBytes = maxModelBytes(),
  ) {}

  async read(uri: string, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    const path = toPath(uri);
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new ModelNotFoundError(`no model at ${uri}`, { cause: error });
      throw error;
    });
    if (info.isDirectory())
      throw new SentimentError('model_is_folder', `${uri} is a folder, not a model file`, {
        hint: `give the model file inside it, such as ${uri.replace(/\/$/, '')}/model.sntm`,
      });
    // A FIFO would block the read forever, a device would never end.
    if (!info.isFile())
      throw new SentimentError('model_not_a_file', `${uri} is not a regular file`, {
        hint: 'point --model / MODEL_URI at a .sntm file',
      });
    if (info.size > this.maxBytes) throw modelTooLarge(uri, this.maxBytes, info.size);
    return readFile(path, { signal: options.signal });
  }

  write(uri: string, bytes: Uint8Array): Promise<void> {
    return writeFileAtomic(toPath(uri), bytes);
  }
}
