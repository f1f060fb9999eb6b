import { execFileSync } from 'node:child_process';

/** The commit a benchmark ran at, for its results file ('unknown' outside a git checkout). */
export function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export interface Spread {
  min: number;
  median: number;
  max: number;
}

/** Min, median and max of some runs: every benchmark figure is reported this way. */
export function spread(xs: number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
}
