import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, launchBrowser } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

describe('dashboard shell', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // Sequential on purpose: if the browser fails to launch, afterAll must still stop the server.
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens the dashboard, sees it live and healthy, and visits every page', async () => {
    await page.goto(`${server.url}/`);
    await page.getByTestId('live-status').filter({ hasText: 'live' }).waitFor({ timeout: 15_000 });
    await page
      .getByTestId('health-status')
      .filter({ hasText: 'server healthy' })
      .waitFor({ timeout: 15_000 });
    await page.getByText('db: PGlite (embedded)').waitFor();
    await page.getByText(/kafka: embedded \(127\.0\.0\.1:\d+\)/).waitFor();
    expect(new URL(page.url()).pathname).toBe('/queries');

    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const name of ['Editor', 'Tables', 'Topics', 'Dead letters', 'Queries']) {
      await nav.getByRole('link', { name }).click();
      await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(name);
    }
    await page.screenshot({ path: join(artifactsDir, 'dashboard.png'), fullPage: true });
  });

  it('keeps a client-side route on reload (the server falls back to index.html)', async () => {
    await page.goto(`${server.url}/dead-letters`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Dead letters');
  });

  it('shows offline when the server goes away', async () => {
    await page.goto(`${server.url}/topics`);
    await page.getByTestId('live-status').filter({ hasText: 'live' }).waitFor({ timeout: 15_000 });
    await server.stop();
    await page.getByTestId('live-status').filter({ hasText: 'offline' }).waitFor({ timeout: 15_000 });
  });
});
