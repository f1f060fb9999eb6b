import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { testService } from '../api/helpers.js';
import { hasChromium, withAppInChromium } from '../support/chromium.js';

describe.runIf(hasChromium)('the playground in headless Chromium', () => {
  const pages = withAppInChromium(testService().app);

  it('shows the sentiment, a confidence bar and the deciding n-grams of a typed review', async () => {
    const page = await pages.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(pages.url)) external.push(request.url());
    });
    await page.goto(`${pages.url}/`);
    await page.fill('#review', 'A great film, truly great acting, but an awful, boring plot.');
    await page.click('#analyze');
    await page.waitForSelector('#result:not([hidden])');
    const sentiment = await page.textContent('[data-testid="sentiment"]');
    expect(['positive', 'negative']).toContain(sentiment);
    expect(await page.textContent('#confidence')).toMatch(/Confidence \d+(\.\d)?%/);
    const marked = (cls: string) =>
      page.$$eval(`#highlighted mark.${cls}`, (marks) => marks.map((m) => m.textContent).join('|'));
    expect(await marked('pos')).toMatch(/great/);
    expect(await marked('neg')).toMatch(/awful|boring/);
    await page.screenshot({ path: `${tmpdir()}/playground.png` });
    // The bar is as long as the confidence the API gives for this text, in its colour.
    const api = await fetch(`${pages.url}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ review: 'A great film, truly great acting, but an awful, boring plot.' }),
    }).then((r) => r.json() as Promise<{ confidence: number; sentiment: string }>);
    const width = await page.$eval(
      '#bar',
      (bar) => (bar as unknown as { style: { width: string } }).style.width,
    );
    expect(Number.parseFloat(width)).toBeCloseTo(api.confidence * 100, 0);
    expect(await page.getAttribute('#bar', 'class')).toBe(api.sentiment);
    expect(sentiment).toBe(api.sentiment);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
    await page.close();
  });

  it('shows a grey "can\'t tell", not a green verdict, for text the model does not know', async () => {
    const page = await pages.browser.newPage();
    await page.goto(`${pages.url}/`);
    await page.fill('#review', 'zzqx vvbn');
    await page.click('#analyze');
    await page.waitForSelector('#result:not([hidden])');
    expect(await page.textContent('[data-testid="sentiment"]')).toBe("can't tell");
    expect(await page.getAttribute('[data-testid="sentiment"]', 'class')).toBe('unknown');
    expect(await page.getAttribute('#bar', 'class')).toBe('unknown');
    const color = await page.evaluate(
      'getComputedStyle(document.querySelector(\'[data-testid="sentiment"]\')).color',
    );
    expect(color).toBe('rgb(87, 96, 106)');
    expect(await page.textContent('#confidence')).toContain('No word of this text is known');
    // A known review afterwards shows a verdict again, with its coverage.
    await page.fill('#review', 'a great film');
    await page.click('#analyze');
    await expect.poll(() => page.textContent('[data-testid="sentiment"]')).toBe('positive');
    expect(await page.textContent('#confidence')).toMatch(/knows \d+% of the text/);
    await page.close();
  });

  it('hides the previous result when a request fails', async () => {
    const page = await pages.browser.newPage();
    await page.goto(`${pages.url}/`);
    await page.fill('#review', 'a great film');
    await page.click('#analyze');
    await page.waitForSelector('#result:not([hidden])');
    await page.fill('#review', '   ');
    await page.click('#analyze');
    await page.waitForSelector('#error:not([hidden])');
    expect(await page.isHidden('#result')).toBe(true);
    await page.close();
  });

  it('says which model answers, with its preset, data and accuracy, and has an icon (no /favicon.ico request)', async () => {
    const page = await pages.browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(new URL(request.url()).pathname));
    await page.goto(`${pages.url}/`);
    await expect.poll(() => page.textContent('[data-testid="model"]')).toMatch(/^Model /);
    expect(await page.textContent('[data-testid="model"]')).toMatch(/^Model [0-9a-f]{12}: preset tiny/);
    expect(await page.getAttribute('link[rel="icon"]', 'href')).toMatch(/^data:image\/svg\+xml,/);
    expect(requests).not.toContain('/favicon.ico');
    expect(await page.textContent('.keys')).toContain('Ctrl');
    await page.close();
  });

  it('shows a human error message for an empty review', async () => {
    const page = await pages.browser.newPage();
    await page.goto(`${pages.url}/`);
    await page.fill('#review', '   ');
    await page.click('#analyze');
    await page.waitForSelector('#error:not([hidden])');
    expect(await page.textContent('#error')).toBe('Write a review first.');
    await page.close();
  });
});
