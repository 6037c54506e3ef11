import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, launchBrowser } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const WAIT = { timeout: 30_000 };

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: true });
}

async function api<T>(server: RunningServer, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Replaces the SQL in the CodeMirror editor (insertText: no auto-closed brackets). */
async function typeSql(page: Page, sql: string) {
  const editor = page.getByRole('textbox', { name: 'SQL' });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(sql);
}

describe('tables: a memory-sink table fills live and answers ad-hoc SQL', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lists the table, upserts its rows live, sorts, exports, and runs good and bad SQL', {
    timeout: 240_000,
  }, async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(`${server.url}/tables`);
    await page.getByTestId('live-status').filter({ hasText: 'live' }).waitFor(WAIT);
    await page.getByRole('heading', { name: 'No memory tables yet' }).waitFor(WAIT);
    await shot(page, 'tables-empty-1440');

    // An update-mode aggregation over a memory source into a memory sink: rows upsert by `word`.
    const query = await api<{ id: string }>(server, 'POST', '/api/queries?start=true', {
      name: 'word_totals',
      sources: { words: { format: 'memory', schema: 'word STRING, n INT' } },
      sql: 'SELECT word, sum(n) AS total, count(*) AS seen FROM words GROUP BY word',
      sink: { format: 'memory' },
      outputMode: 'update',
    });
    const addRows = (rows: object[]) =>
      api(server, 'POST', `/api/queries/${query.id}/sources/words/rows`, { rows });
    await addRows([
      { word: 'alpha', n: 1 },
      { word: 'beta', n: 2 },
    ]);

    // The list appears (polled) and the page opens the first table by itself.
    await page.waitForURL(/\/tables\/word_totals$/, WAIT);
    const grid = page.getByRole('table', { name: 'Memory table word_totals' });
    await grid.getByRole('cell', { name: 'beta', exact: true }).waitFor(WAIT);
    await page.getByRole('navigation', { name: 'Memory tables' }).getByText('word_totals').waitFor();
    // Typed headers: Spark's type names beside the column names.
    await expect(grid.locator('thead th').allTextContents()).resolves.toEqual([
      'wordstring',
      'totalbigint',
      'seenbigint',
    ]);

    // Live: alpha is upserted in place (total 1 → 6), gamma is new; three rows, not four.
    await addRows([
      { word: 'alpha', n: 5 },
      { word: 'gamma', n: 1 },
    ]);
    const rowOf = (word: string) =>
      grid.getByRole('row').filter({ has: page.getByRole('cell', { name: word, exact: true }) });
    await rowOf('alpha').getByRole('cell', { name: '6', exact: true }).waitFor(WAIT);
    await rowOf('gamma').waitFor(WAIT);
    await page
      .getByTestId('table-row-count')
      .filter({ hasText: /^3 rows$/ })
      .waitFor(WAIT);
    await page
      .getByRole('navigation', { name: 'Memory tables' })
      .getByRole('link', { name: /word_totals/ })
      .getByText('3', { exact: true })
      .waitFor(WAIT);
    await expect(grid.getByRole('row').count()).resolves.toBe(4); // header + 3
    await page.getByTestId('table-last-batch').waitFor(WAIT);

    // Sort by total, descending: alpha (6) first.
    await grid.getByRole('button', { name: 'Sort by total' }).click();
    await grid.getByRole('button', { name: 'Sort by total' }).click();
    await expect(
      grid.getByRole('columnheader', { name: 'Sort by total' }).getAttribute('aria-sort'),
    ).resolves.toBe('descending');
    await expect(grid.locator('tbody tr').first().locator('td').first().textContent()).resolves.toBe('alpha');
    await grid.locator('tbody tr').first().click();
    await page.getByLabel('Selected row').getByText('"total": 6').waitFor();
    await shot(page, 'tables-1440');

    // Export: the CSV holds the header and the upserted rows.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('region', { name: 'Table word_totals' })
        .getByRole('button', { name: 'Export CSV' })
        .click(),
    ]);
    const csv = await readFile((await download.path()) ?? '', 'utf8');
    expect(csv.split('\r\n')[0]).toBe('word,total,seen');
    expect(csv).toContain('alpha,6,2');
    expect(csv.trim().split('\r\n')).toHaveLength(4);

    // Ad-hoc SQL: the button fills the box, an aggregation runs over the table.
    await page.getByRole('button', { name: 'Query with SQL' }).click();
    await expect(page.locator('.cm-content').textContent()).resolves.toContain('FROM word_totals');
    await typeSql(page, 'SELECT count(*) AS groups, sum(total) AS all_total\nFROM word_totals');
    await page.keyboard.press('ControlOrMeta+Enter');
    const result = page.getByRole('table', { name: 'SQL result' });
    await result.getByRole('cell', { name: '9', exact: true }).waitFor(WAIT);
    await result.getByRole('cell', { name: '3', exact: true }).waitFor();
    await page.getByTestId('sql-result-summary').getByText('1 row').waitFor();
    await page.keyboard.press('Escape'); // close the completion list before the screenshot
    await shot(page, 'tables-sql-1440');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'tables-sql-dark-1440');
    await page.emulateMedia({ colorScheme: 'light' });

    // An unknown column: the server's line and column, in the alert and as a squiggle on the word.
    await typeSql(page, 'SELECT word,\n  totl\nFROM word_totals');
    await page.getByRole('button', { name: /^Run/ }).click();
    const error = page.getByTestId('sql-error');
    await error.getByText(/Line 2, column 3:/).waitFor(WAIT);
    await error.getByText('UNRESOLVED_COLUMN.WITH_SUGGESTION', { exact: true }).waitFor();
    await page.locator('.cm-lintRange-error').first().waitFor(WAIT);
    await expect(page.locator('.cm-lintRange-error').first().textContent()).resolves.toBe('totl');
    await shot(page, 'tables-sql-error-1440');

    // A statement that would write is refused.
    await typeSql(page, 'DROP VIEW word_totals');
    await page.keyboard.press('ControlOrMeta+Enter');
    await error.getByText('UNSUPPORTED_STATEMENT', { exact: true }).waitFor(WAIT);

    // The query's page links its memory table here.
    await page.goto(`${server.url}/queries/${query.id}`);
    await page.getByRole('link', { name: /^Open in Tables/ }).click();
    await page.waitForURL(/\/tables\/word_totals$/, WAIT);
    await grid.getByRole('cell', { name: 'gamma', exact: true }).waitFor(WAIT);

    // Thousands of rows: an append-mode table of 3,000 rows stays a few dozen DOM rows (virtualised),
    // and scrolling reaches the oldest one.
    const log = await api<{ id: string }>(server, 'POST', '/api/queries?start=true', {
      name: 'event_log',
      sources: { events: { format: 'memory', schema: 'seq INT, label STRING' } },
      sql: 'SELECT seq, label FROM events',
      sink: { format: 'memory' },
      outputMode: 'append',
    });
    await api(server, 'POST', `/api/queries/${log.id}/sources/events/rows`, {
      rows: Array.from({ length: 3000 }, (_, i) => ({ seq: i, label: `event number ${i}` })),
    });
    await page.goto(`${server.url}/tables/event_log`);
    await page
      .getByTestId('table-row-count')
      .filter({ hasText: /^3,000 rows$/ })
      .waitFor(WAIT);
    const big = page.getByRole('table', { name: 'Memory table event_log' });
    await big.getByRole('cell', { name: '2999', exact: true }).waitFor(WAIT); // newest first
    expect(await big.locator('tbody tr').count()).toBeLessThan(100);
    await big.evaluate((table) => {
      const scroller = table.parentElement;
      if (scroller) scroller.scrollTop = scroller.scrollHeight;
    });
    await big.getByRole('cell', { name: 'event number 0', exact: true }).waitFor(WAIT);
    await shot(page, 'tables-3000-rows-1440');

    // The phone layout from a fresh load.
    await page.setViewportSize(PHONE);
    await page.goto(`${server.url}/tables/word_totals`);
    await grid.getByRole('cell', { name: 'gamma', exact: true }).waitFor(WAIT);
    await shot(page, 'tables-390');
    await page.close();
  });
});
