import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download } from '../../src/data/download.js';
import { readDataset } from '../../src/data/read.js';
import { run } from '../cli/run.js';
import { makeTarGz, miniAclImdb } from '../support/tar-writer.js';

const archive = makeTarGz({
  ...miniAclImdb(),
  'aclImdb/padding.bin': randomBytes(200_000).toString('base64'),
});
const sha256 = createHash('sha256').update(archive).digest('hex');

describe('downloading the dataset from a local HTTP server', () => {
  let server: Server;
  let base: string;
  const log: Array<{ range?: string; status: number }> = [];
  let cutNext = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url !== '/aclImdb_v1.tar.gz') {
        log.push({ status: 404 });
        response.writeHead(404).end();
        return;
      }
      const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
      const start = range ? Number(range[1]) : 0;
      const status = range ? 206 : 200;
      log.push({ range: request.headers.range, status });
      response.writeHead(status, {
        'content-length': archive.length - start,
        ...(range ? { 'content-range': `bytes ${start}-${archive.length - 1}/${archive.length}` } : {}),
      });
      if (cutNext > 0) {
        cutNext--;
        // Send part of the file, then drop the connection.
        response.write(archive.subarray(start, start + 50_000), () =>
          setTimeout(() => response.destroy(), 50),
        );
        return;
      }
      response.end(archive.subarray(start));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('resumes an interrupted download with a Range request and verifies the SHA-256', async () => {
    const dest = join(mkdtempSync(join(tmpdir(), 'dl-')), 'aclImdb_v1.tar.gz');
    cutNext = 2;
    log.length = 0;
    const result = await download({ url: `${base}/aclImdb_v1.tar.gz`, sha256, dest, backoffMs: 5 });
    expect(result.resumed).toBe(true);
    expect(log.map((l) => l.status)).toEqual([200, 206, 206]);
    expect(log[1].range).toBe('bytes=50000-');
    expect(log[2].range).toBe('bytes=100000-');
    expect(readFileSync(dest).equals(archive)).toBe(true);
    expect(existsSync(`${dest}.part`)).toBe(false);
    expect((await readDataset(dest)).texts).toHaveLength(4);
  });

  it('refuses a file whose SHA-256 differs, leaving nothing behind', async () => {
    const dest = join(mkdtempSync(join(tmpdir(), 'dl-')), 'aclImdb_v1.tar.gz');
    await expect(
      download({ url: `${base}/aclImdb_v1.tar.gz`, sha256: '0'.repeat(64), dest, backoffMs: 5 }),
    ).rejects.toThrow(/does not match/);
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('gives up after its retries on HTTP errors, naming the status', async () => {
    const dest = join(mkdtempSync(join(tmpdir(), 'dl-')), 'x.tar.gz');
    log.length = 0;
    await expect(
      download({ url: `${base}/missing`, sha256, dest, retries: 2, backoffMs: 5 }),
    ).rejects.toThrow(/HTTP 404/);
    expect(log).toHaveLength(3);
  });

  it('works from the command line, then trains from the archive in place', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dl-cli-'));
    const download = () =>
      run('data', 'download', '--dir', dir, '--url', `${base}/aclImdb_v1.tar.gz`, '--sha256', sha256);
    const fetched = await download();
    expect(fetched.code).toBe(0);
    expect(fetched.stderr).toMatch(/SHA-256 verified/);
    const archive = join(dir, 'aclImdb_v1.tar.gz');
    expect(fetched.stderr).toContain(
      `npx sentiment train --data ${archive} --test ${archive} --out models/default`,
    );
    const again = await download();
    expect(again.stderr).toMatch(/already there and verified/);
    const tar = join(dir, 'aclImdb_v1.tar.gz');
    const trained = await run(
      'train',
      '--data',
      tar,
      '--test',
      tar,
      '--out',
      join(dir, 'model'),
      '--preset',
      'seed',
      '--validation-split',
      '0',
    );
    expect(trained.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'model', 'metrics.json'), 'utf8')).test.count).toBe(2);
  });
});
