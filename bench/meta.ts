import { execFileSync } from 'node:child_process';

/** The commit a benchmark ran at, for its results file ('unknown' outside a git checkout). */
export function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}
