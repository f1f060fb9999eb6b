import { tmpdir } from 'node:os';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/server.js';
import { testService } from '../api/helpers.js';
import { hasChromium, launchChromium } from '../support/chromium.js';

describe.runIf(hasChromium)('the interactive API docs (/docs) in headless Chromium', () => {
  let browser: Browser;
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(testService().app, { port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows every route of the OpenAPI document and sends a real request from "Try it", offline', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(server.url) && !request.url().startsWith('data:'))
        external.push(request.url());
    });
    await page.goto(`${server.url}/docs`);
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
