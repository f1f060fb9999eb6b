import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readDataset } from '../../src/data/read.js';
import { MAX_TAR_ENTRY_BYTES, readTar } from '../../src/data/tar.js';
import { makeTarGz, miniAclImdb } from '../support/tar-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'tar-'));

/** An archive made by GNU tar itself from `files`, in the given format. */
function gnuTar(
  name: string,
  files: Record<string, string | Buffer>,
  format: 'gnu' | 'pax' | 'ustar',
): string {
  const root = join(dir, `${name}-src`);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  const out = join(dir, `${name}.tar.gz`);
  execFileSync('tar', [`--format=${format}`, '-czf', out, '-C', root, ...Object.keys(files).sort()]);
  return out;
}

async function* chunksOf(bytes: Uint8Array, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('the tar reader', () => {
  it('reads archives written by GNU tar (gnu, pax and ustar formats), long names included', async () => {
    const long = `aclImdb/train/pos/${'9'.repeat(120)}_10.txt`;
    const files = { ...miniAclImdb(), [long]: 'A long-named but great review.' };
    for (const format of ['gnu', 'pax'] as const) {
      const train = await readDataset(gnuTar(`acl-${format}`, files, format));
      expect(train.texts).toContain('A long-named but great review.');
      expect(train.texts).toContain('Awful, boring film.');
      expect(train.texts).not.toContain('Unlabelled review, skipped.');
      expect(train.texts).toHaveLength(5);
    }
    const ustar = await readDataset(gnuTar('acl-ustar', miniAclImdb(), 'ustar'), { split: 'test' });
    expect(ustar.texts.sort()).toEqual(['A waste of time.', 'Loved every minute.']);
  });

  it('matches review paths from the archive root: test/../train or a nested copy is not training data', async () => {
    const archive = join(dir, 'tricky.tar.gz');
    writeFileSync(
      archive,
      makeTarGz({
        ...miniAclImdb(),
        'aclImdb/test/../train/pos/7_9.txt': 'smuggled through a dot-dot path',
        'other/aclImdb/train/neg/8_1.txt': 'a nested copy, not this archive’s split',
      }),
    );
    const train = await readDataset(archive);
    expect(train.texts).not.toContain('smuggled through a dot-dot path');
    expect(train.texts).not.toContain('a nested copy, not this archive’s split');
    expect(train.texts).toHaveLength(4);
  });

  it('refuses a header whose checksum does not hold, by file', async () => {
    const tar = gunzipSync(makeTarGz(miniAclImdb()));
    tar[5] ^= 0x20; // a letter of the first entry's name
    const archive = join(dir, 'bad-checksum.tar.gz');
    writeFileSync(archive, gzipSync(tar));
    await expect(readDataset(archive)).rejects.toThrow(
      `${archive}: cannot read the archive (a header fails its checksum`,
    );
  });

  it('skips an unwanted 40 MB entry without holding it, and refuses a wanted one over the entry cap', async () => {
    const big = Buffer.alloc(40 * 1024 * 1024, 0x61);
    const archive = gnuTar('big', { ...miniAclImdb(), 'aclImdb/padding.bin': big }, 'gnu');
    expect(readFileSync(archive).length).toBeLessThan(100_000);
    // Time and memory of this are benchmark figures (bench/tar-skip.ts), not assertions.
    const train = await readDataset(archive);
    expect(train.texts).toHaveLength(4);

    const wanted = gnuTar('big-review', { 'aclImdb/train/pos/1_9.txt': big }, 'gnu');
    await expect(readDataset(wanted)).rejects.toThrow(
      `aclImdb/train/pos/1_9.txt is ${big.length} bytes; entries over ${MAX_TAR_ENTRY_BYTES} bytes are not read`,
    );
  });

  it('reads the same entries whatever the chunk size of the stream', async () => {
    const tar = gunzipSync(makeTarGz(miniAclImdb()));
    const read = async (size: number) => {
      const out: string[] = [];
      for await (const entry of readTar(chunksOf(tar, size)))
        out.push(`${entry.path}=${entry.content.length}`);
      return out;
    };
    const whole = await read(tar.length);
    for (const size of [1, 7, 511, 512, 513, 4096]) expect(await read(size)).toEqual(whole);
  });

  it('refuses a review that is not valid UTF-8, naming the entry', async () => {
    const archive = gnuTar(
      'latin1',
      { ...miniAclImdb(), 'aclImdb/train/pos/5_9.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x21]) },
      'gnu',
    );
    await expect(readDataset(archive)).rejects.toThrow(
      `${archive}#aclImdb/train/pos/5_9.txt: is not valid UTF-8`,
    );
  });
});
