/**
 * The tar reader on the archive of the hardening issue: 41 KB of gzip holding a 40 MB entry that is
 * not a review, beside a few reviews. Wall time and the process's peak RSS over --runs fresh
 * processes (reading with `readDataset`, as `train --data archive.tar.gz` does).
 *
 * Run: npx tsx bench/tar-skip.ts [--runs 5]    (needs GNU tar; prints a JSON line)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gitCommit } from './meta.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const dir = mkdtempSync(join(tmpdir(), 'tar-skip-'));
for (const [path, text] of [
  ['aclImdb/train/pos/0_9.txt', 'A great film.'],
  ['aclImdb/train/neg/0_1.txt', 'An awful film.'],
]) {
  mkdirSync(join(dir, 'src', path, '..'), { recursive: true });
  writeFileSync(join(dir, 'src', path), text);
}
writeFileSync(join(dir, 'src/aclImdb/padding.bin'), Buffer.alloc(40 * 1024 * 1024, 0x61));
const archive = join(dir, 'bomb.tar.gz');
execFileSync('tar', ['-czf', archive, '-C', join(dir, 'src'), 'aclImdb']);
const root = new URL('..', import.meta.url).pathname;
const script = `import { readDataset } from '${root}src/data/read.ts'; const t = performance.now(); const d = await readDataset('${archive}'); console.log(JSON.stringify({ ms: performance.now() - t, reviews: d.texts.length }));`;
const runs: Array<{ ms: number; reviews: number; peakRssKb: number }> = [];
for (let i = 0; i < Number(values.runs); i++) {
  const run = spawnSync(
    '/usr/bin/time',
    ['-f', '%M', process.execPath, '--import', 'tsx', '--input-type=module', '-e', script],
    { encoding: 'utf8', cwd: root },
  );
  if (run.status !== 0) throw new Error(run.stderr);
  const peakRssKb = Number(run.stderr.trim().split('\n').pop());
  runs.push({ ...JSON.parse(run.stdout.trim().split('\n').pop() as string), peakRssKb });
}
const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
console.log(
  JSON.stringify({
    commit: gitCommit(),
    node: process.version,
    archiveBytes: statSync(archive).size,
    entryBytes: 40 * 1024 * 1024,
    msMinMedianMax: [ms[0], ms[Math.floor(ms.length / 2)], ms[ms.length - 1]].map(Math.round),
    peakRssMb: Math.max(...runs.map((r) => Math.round(r.peakRssKb / 1024))),
  }),
);
