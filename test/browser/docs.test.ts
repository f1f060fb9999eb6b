import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { testService } from '../api/helpers.js';
import { hasChromium, withAppInChromium } from '../support/chromium.js';

describe.runIf(hasChromium)('the interactive API docs (/docs) in headless Chromium', () => {
  const pages = withAppInChromium(testService().app);

  it('shows every route of the OpenAPI document and sends a real request from "Try it", offline', async () => {
    const page = await pages.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(pages.url) && !request.url().startsWith('data:'))
        external.push(request.url());
    });
    await page.goto(`${pages.url}/docs`);
    await page.waitForSelector('#errors');
    expect(await page.textContent('#title')).toBe('Movie-review sentiment API (v1)');
    const routes = await page.$$eval('section h2', (hs) => hs.map((h) => h.textContent));
    for (const route of ['POST/predict', 'GET/health', 'GET/model', 'GET/openapi.json', 'GET/docs', 'GET/'])
      expect(routes.some((r) => r?.startsWith(route))).toBe(true);
    expect(await page.textContent('#errors')).toContain('model_unavailable');
    const predict = page.locator('section#post-predict');
    await predict.locator('summary', { hasText: 'Try it' }).click();
    await predict.locator('button').click();
    // Locators, not waitForFunction: the page's CSP forbids the eval that string predicates need.
    const response = predict.locator('pre.response');
    await response.waitFor({ state: 'visible' });
    await expect.poll(() => response.textContent()).toMatch(/^200/);
    const answer = await response.textContent();
    expect(answer).toContain('"sentiment": "positive"');
    expect(answer).toContain('"coverage"');
    await page.screenshot({ path: `${tmpdir()}/docs.png`, fullPage: true });
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
    await page.close();
  });
});
