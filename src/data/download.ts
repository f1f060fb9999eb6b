import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SentimentError } from '../errors.js';

/** The Large Movie Review Dataset's official address and the SHA-256 of the file it serves. */
export const ACL_IMDB_URL = 'https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz';
export const ACL_IMDB_SHA256 = 'c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe';

export class DownloadError extends SentimentError {
  override readonly name = 'DownloadError';
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('download_failed', message, {
      hint: 'check the connection and run the same command again: the download resumes where it stopped',
      ...options,
    });
  }
}

export interface DownloadOptions {
  url: string;
  sha256: string;
  dest: string;
  /** Attempts after the first, with exponential backoff. */
  retries?: number;
  backoffMs?: number;
  onProgress?: (received: number, total: number | null) => void;
  log?: (line: string) => void;
}

async function hashExisting(path: string): Promise<{ hash: ReturnType<typeof createHash>; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of createReadStream(path)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return { hash, size };
}

/**
 * Downloads `url` to `dest`, resuming a partial `<dest>.part` with an HTTP Range request, retrying
 * failures with backoff, and verifying the SHA-256 before the file takes its final name.
 */
export async function download(options: DownloadOptions): Promise<{ bytes: number; resumed: boolean }> {
  const { url, dest, onProgress, log = () => {} } = options;
  const retries = options.retries ?? 4;
  const backoffMs = options.backoffMs ?? 1000;
  const partial = `${dest}.part`;
  await mkdir(dirname(dest), { recursive: true });
  const existing = await stat(dest).catch(() => null);
  if (existing) {
    const { hash } = await hashExisting(dest);
    if (hash.digest('hex') === options.sha256) {
      log(`${dest} is already there and verified`);
      return { bytes: existing.size, resumed: false };
    }
  }
  let resumed = false;
  for (let attempt = 0; ; attempt++) {
    try {
      const { hash, size } = await hashExisting(partial);
      const headers: Record<string, string> = size > 0 ? { range: `bytes=${size}-` } : {};
      const response = await fetch(url, { headers, redirect: 'follow' });
      if (response.status === 416 && size > 0) {
        // The partial file is already complete (or longer than the resource): check it below.
      } else if (!response.ok || !response.body) {
        throw new DownloadError(`${url}: HTTP ${response.status}`);
      }
      const append = response.status === 206;
      if (size > 0 && append) resumed = true;
      const restart = response.status === 200;
      const total = restart
        ? Number(response.headers.get('content-length')) || null
        : (() => {
            const range = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '');
            return range ? Number(range[1]) : null;
          })();
      let received = append ? size : 0;
      const fileHash = restart ? createHash('sha256') : hash;
      if (response.status !== 416) {
        const file = await open(partial, restart ? 'w' : 'a');
        try {
          for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
            await file.write(chunk);
            fileHash.update(chunk);
            received += chunk.length;
            onProgress?.(received, total);
          }
        } finally {
          await file.close();
        }
      }
      const digest = fileHash.digest('hex');
      if (digest !== options.sha256) {
        await rm(partial, { force: true });
        throw new DownloadError(`${url}: SHA-256 ${digest} does not match the expected ${options.sha256}`);
      }
      await rename(partial, dest);
      return { bytes: received, resumed };
    } catch (error) {
      const mismatch = error instanceof DownloadError && error.message.includes('SHA-256');
      if (mismatch || attempt >= retries) {
        throw error instanceof DownloadError
          ? error
          : new DownloadError(`${url}: ${(error as Error).message}`, { cause: error });
      }
      const wait = backoffMs * 2 ** attempt;
      log(`download interrupted (${(error as Error).message}); retrying in ${wait} ms`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
