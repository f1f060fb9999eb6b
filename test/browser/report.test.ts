import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../cli/run.js';
import { hasChromium, launchChromium } from '../support/chromium.js';

describe.runIf(hasChromium)('report.html in headless Chromium', () => {
  it('renders offline: curves, calibration, histogram, confusion matrix and n-grams', async () => {
    const out = mkdtempSync(join(tmpdir(), 'report-'));
    const sample = new URL('../../data/imdb-sample.csv.gz', import.meta.url).pathname;
    const result = await run('train', '--data', sample, '--test', sample, '--out', out, '--preset', 'seed');
    expect(result.code).toBe(0);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(pathToFileURL(join(out, 'report.html')).href);
      const captions = await page.$$eval('figcaption', (nodes) => nodes.map((n) => n.textContent ?? ''));
      expect(captions.join(' | ')).toMatch(
        /ROC curve.*Precision-recall.*Calibration.*Scores by true class.*Confusion matrix/,
      );
      const svgPaths = await page.$$eval('svg path', (paths) =>
        paths.map((p) => p.getAttribute('d')?.length ?? 0),
      );
      expect(svgPaths.every((length) => length > 20)).toBe(true);
      expect(await page.$$eval('ol li', (items) => items.length)).toBe(40);
      expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
      expect(errors).toEqual([]);
      await page.screenshot({ path: join(tmpdir(), 'report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 60_000);
});
