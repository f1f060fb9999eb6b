import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/** Debian's Chromium, which .ci/run installs (Playwright's own browser download cannot run here). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/**
 * For a describe block: the test app served on a free port and a headless Chromium, started before
 * its tests and stopped after them. Read `url` and `browser` inside the tests.
 */
export function withAppInChromium(app: { fetch: (request: Request) => Response | Promise<Response> }) {
  const state: { url: string; browser: Browser } = { url: '', browser: undefined as unknown as Browser };
  let server: { url: string; close(): Promise<void> } | undefined;
  beforeAll(async () => {
    const { startServer } = await import('../../src/server.js');
    server = await startServer(app as Parameters<typeof startServer>[0], { port: 0, host: '127.0.0.1' });
    state.url = server.url;
    state.browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await state.browser?.close();
    await server?.close();
  });
  return state;
}
