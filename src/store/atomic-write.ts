import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SentimentError } from '../errors.js';

/** A fresh hidden name beside `path`, for writing before renaming over it. */
function temporaryNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Writes `content` to a fresh temporary name beside `path`, flushed; returns that name. */
async function writeTemporary(path: string, content: Uint8Array | string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporaryNameFor(path);
  try {
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return temporary;
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Writes a file so that readers see either the old content or the new, never a part: the bytes go
 * to a temporary name beside it, are flushed, and the temporary file is renamed over the target.
 */
export async function writeFileAtomic(path: string, content: Uint8Array | string): Promise<void> {
  await writeFilesAtomic([[path, content]]);
}

/**
 * Writes several files that belong together (a model and the files that describe it): every one is
 * written and flushed to a temporary name first, and only when all are on disk are they renamed over
 * their targets, in order. A write that fails (a full disk, a size limit) leaves every old file as
 * it was and no temporary file behind.
 */
export async function writeFilesAtomic(files: ReadonlyArray<[string, Uint8Array | string]>): Promise<void> {
  const written: Array<[string, string]> = [];
  let current = '';
  try {
    for (const [path, content] of files) {
      current = path;
      written.push([await writeTemporary(path, content), path]);
    }
    for (const [temporary, path] of written) {
      current = path;
      await rename(temporary, path);
    }
  } catch (error) {
    await Promise.all(written.map(([temporary]) => rm(temporary, { force: true })));
    const { code, message } = error as NodeJS.ErrnoException;
    throw new WriteError(`cannot write ${current} (${code ?? message})`, {
      cause: error,
      hint:
        files.length > 1
          ? 'nothing was replaced: the previous files are as they were'
          : 'the previous file is as it was',
    });
  }
}

/** A file that could not be written (full disk, no permission, size limit); what was there is intact. */
export class WriteError extends SentimentError {
  override readonly name = 'WriteError';
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('write_failed', message, options);
  }
}

/**
 * A file written as a stream (of any size, in constant memory) that appears under its name only when
 * complete: `commit` renames it into place; `abort` removes it, leaving any previous file intact.
 */
export async function createAtomicWriteStream(path: string) {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporaryNameFor(path);
  const out = createWriteStream(temporary);
  return {
    async write(text: string): Promise<void> {
      if (!out.write(text)) await once(out, 'drain');
    },
    async commit(): Promise<void> {
      out.end();
      await once(out, 'finish');
      await rename(temporary, path);
    },
    async abort(): Promise<void> {
      out.destroy();
      await rm(temporary, { force: true });
    },
  };
}
