import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SentimentError } from '../errors.js';
import { UsageError } from './errors.js';

export const BENCH_HELP = `sentiment bench [--runs 3] [--presets seed,default]

Runs the side-by-side benchmark (bench/run.ts, the same as npm run bench) against scikit-learn on
the full IMDb data in $IMDB_DIR. Needs a source checkout with its dev dependencies (npm ci).`;

/** Runs bench/run.ts from the checkout this CLI was built in. */
export async function benchCommand(argv: string[]): Promise<void> {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const script = `${root}bench/run.ts`;
  const tsx = `${root}node_modules/.bin/tsx`;
  if (!existsSync(script) || !existsSync(tsx)) {
    throw new UsageError(
      'bench: runs from a source checkout with its dev dependencies (git clone, npm ci, npm run bench)',
    );
  }
  if (!process.env.IMDB_DIR)
    throw new UsageError('bench: set IMDB_DIR to the folder with train.csv.gz and test.csv.gz');
  const code = await new Promise<number>((resolve) => {
    spawn(tsx, [script, ...argv], { cwd: root, stdio: 'inherit' }).on('exit', (exit) => resolve(exit ?? 1));
  });
  if (code !== 0) throw new SentimentError('bench_failed', `the benchmark failed with exit code ${code}`);
}
