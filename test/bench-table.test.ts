import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type BenchRecord,
  README_END,
  README_START,
  renderBenchTable,
  withBenchTable,
} from '../bench/table.js';

const root = new URL('..', import.meta.url);
const record = JSON.parse(readFileSync(new URL('bench/results/latest.json', root), 'utf8')) as BenchRecord;
const readme = readFileSync(new URL('README.md', root), 'utf8');

describe('the README performance table', () => {
  it('is the table the recorded results give (npx tsx bench/table.ts --readme), not figures typed by hand', () => {
    expect(readme).toContain(README_START);
    expect(readme).toContain(README_END);
    expect(withBenchTable(readme, record)).toBe(readme);
  });

  it('comes from a two-sided run that names its commit and versions', () => {
    expect(record.machine.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(record.machine.sklearn).toMatch(/^\d+\.\d+/);
    expect(record.machine.node).toMatch(/^v(22|24)\./);
    for (const result of Object.values(record.results)) expect(result.sklearn).not.toBeNull();
    expect(renderBenchTable(record)).toContain(record.machine.commit.slice(0, 12));
  });
});
