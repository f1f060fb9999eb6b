import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { SentimentError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { ModelNotFoundError, type ModelStore } from './model-store.js';

function toPath(uri: string): string {
  return uri.startsWith('file://') ? fileURLToPath(uri) : uri;
}

/** Models on the local filesystem (paths or file:// URIs). */
export class FileModelStore implements ModelStore {
  async read(uri: string, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    try {
      return await readFile(toPath(uri), { signal: options.signal });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new ModelNotFoundError(`no model at ${uri}`, { cause: error });
      if (code === 'EISDIR')
        throw new SentimentError('model_is_folder', `${uri} is a folder, not a model file`, {
          cause: error,
          hint: `give the model file inside it, such as ${uri.replace(/\/$/, '')}/model.sntm`,
        });
      throw error;
    }
  }

  write(uri: string, bytes: Uint8Array): Promise<void> {
    return writeFileAtomic(toPath(uri), bytes);
  }
}
