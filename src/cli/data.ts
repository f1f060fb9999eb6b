import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ACL_IMDB_SHA256, ACL_IMDB_URL, download } from '../data/download.js';
import { parseOrExplain } from './args.js';
import { UsageError } from './errors.js';
import { progressReporter } from './progress.js';

export const DATA_HELP = `sentiment data download [--dir data/imdb]

Downloads aclImdb_v1.tar.gz (84 MB, the Large Movie Review Dataset) from its official Stanford
address into --dir, resuming an interrupted download, retrying failures, and verifying its SHA-256.
train reads it in place: sentiment train --data data/imdb/aclImdb_v1.tar.gz --test data/imdb/aclImdb_v1.tar.gz
  --url <url>        another address (a mirror)
  --sha256 <hex>     the SHA-256 that address serves`;

export async function dataCommand(argv: string[], log: (line: string) => void): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'download') throw new UsageError(`data: unknown subcommand "${sub ?? ''}" (download)`);
  const { values } = parseOrExplain('data download', () =>
    parseArgs({
      args: rest,
      strict: true,
      options: {
        dir: { type: 'string', default: 'data/imdb' },
        url: { type: 'string', default: ACL_IMDB_URL },
        sha256: { type: 'string', default: ACL_IMDB_SHA256 },
      },
    }),
  );
  if (!/^[0-9a-f]{64}$/.test(values.sha256))
    throw new UsageError('data download: --sha256 must be 64 hex digits');
  const dest = join(values.dir, 'aclImdb_v1.tar.gz');
  const progress = progressReporter('aclImdb_v1.tar.gz');
  const result = await download({
    url: values.url,
    sha256: values.sha256,
    dest,
    onProgress: (done, total) => progress.update(done, total),
    log,
  });
  progress.done();
  log(
    `${dest}: ${(result.bytes / 1e6).toFixed(1)} MB, SHA-256 verified${result.resumed ? ' (resumed)' : ''}`,
  );
  log('next, the full model (a few minutes):');
  log(`  npx sentiment train --data ${dest} --test ${dest} --out models/default`);
}
