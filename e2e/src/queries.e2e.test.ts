import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, launchBrowser } from './support/browser.js';
import { serverBootstrap, topicProducer } from './support/kafka.js';
import { type RunningServer, startServer } from './support/server.js';

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const WAIT = { timeout: 30_000 };
const WORD_COUNT = (alias: string) =>
  `SELEC word, count(*) AS n FROM (SELECT explode(split(CAST(value AS STRING), ' ')) AS word FROM ${alias}) GROUP BY word`;

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: true });
}

/** Replaces the SQL in the CodeMirror editor (insertText: no auto-closed brackets). */
async function typeSql(page: Page, sql: string) {
  const editor = page.getByRole('textbox', { name: 'SQL' });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(sql);
}

interface JourneyOptions {
  token?: string;
  screenshots: boolean;
}

/**
 * Write a Kafka word count with a typo, see the error at line 1 column 1, fix it with completion,
 * preview it, start it, produce to the topic, watch the detail page fill, stop it.
 */
async function wordCountJourney(page: Page, server: RunningServer, options: JourneyOptions) {
  const topic = `words-${Date.now()}`;
  const producer = await topicProducer(await serverBootstrap(server.url, options.token), topic);
  try {
    await producer.send('hello world', 'hello sluice');

    await page.goto(`${server.url}/editor`);
    if (options.token) {
      const dialog = page.getByRole('dialog', { name: 'API token required' });
      await dialog.waitFor(WAIT);
      await dialog.getByLabel('API token').fill(options.token);
      await dialog.getByRole('button', { name: 'Use token' }).click();
      await dialog.waitFor({ state: 'hidden' });
    }
    await page.getByTestId('live-status').filter({ hasText: 'live' }).waitFor(WAIT);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Editor');

    await page.getByLabel('Query name').fill('word_counts');
    await page.getByLabel('Source 1 alias').fill('lines');
    await page.getByLabel('Source 1 format').click();
    await page.getByRole('option', { name: 'kafka', exact: true }).click();
    await page.getByLabel('Source 1 option 1 key').waitFor();
    await expect(page.getByLabel('Source 1 option 1 key').inputValue()).resolves.toBe('subscribe');
    await page.getByLabel('Source 1 option 1 value').fill(topic);

    // The typo: the server's error lands on line 1, column 1, in the gutter and the problem list.
    await typeSql(page, WORD_COUNT('lines'));
    const problems = page.getByRole('list', { name: 'Problems' });
    await problems.getByText(/Line 1, column 1: \[PARSE_SYNTAX_ERROR\].*'SELEC'/).waitFor(WAIT);
    await page.locator('.cm-lint-marker-error').first().waitFor(WAIT);
    await page.locator('.cm-lintRange-error').first().waitFor(WAIT);
    await expect(page.locator('.cm-lintRange-error').first().textContent()).resolves.toBe('SELEC');
    if (options.screenshots) await shot(page, `editor-error-1440`);

    // Fix it with completion: cursor after SELEC, completion offers SELECT, Enter takes it.
    await page.getByRole('textbox', { name: 'SQL' }).click();
    await page.keyboard.press('ControlOrMeta+Home');
    for (let i = 0; i < 'SELEC'.length; i++) await page.keyboard.press('ArrowRight');
    // Retyping the last letter opens completion on the word typed so far.
    await page.keyboard.press('Backspace');
    await page.keyboard.type('C');
    const completion = page.locator('.cm-tooltip-autocomplete [role=option]', { hasText: /^SELECT/ }).first();
    await completion.waitFor(WAIT);
    // CodeMirror ignores Enter for 75 ms after the list opens (interactionDelay), against accidental accepts.
    await page.waitForTimeout(250);
    await page.keyboard.press('Enter');
    await expect(page.locator('.cm-content').textContent()).resolves.toBe(
      WORD_COUNT('lines').replace('SELEC', 'SELECT'),
    );

    // An aggregation into memory allows update and complete, not append.
    const complete = page.getByRole('radio', { name: 'complete' });
    await page.getByText('This query allows: update, complete').waitFor(WAIT);
    await expect(page.getByRole('radio', { name: 'append' }).isDisabled()).resolves.toBe(true);
    await page.locator('.mantine-SegmentedControl-label', { hasText: /^complete$/ }).click();
    await expect(complete.isChecked()).resolves.toBe(true);
    await page.getByTestId('validation-status').filter({ hasText: 'The query analyses' }).waitFor(WAIT);
    await page.getByRole('tab', { name: 'Output schema' }).click();
    await page
      .getByRole('table', { name: 'Output schema' })
      .getByRole('cell', { name: 'word', exact: true })
      .waitFor();

    // Preview: the rows of what was produced so far appear in the grid.
    await page.getByRole('button', { name: /^Preview/ }).click();
    const previewGrid = page.getByRole('table', { name: 'Preview rows' });
    await previewGrid.getByRole('cell', { name: 'hello', exact: true }).waitFor(WAIT);
    await previewGrid.getByRole('cell', { name: 'sluice', exact: true }).waitFor(WAIT);
    if (options.screenshots) await shot(page, `editor-preview-1440`);
    await page.getByRole('button', { name: 'Stop preview' }).click();
    await page.getByTestId('preview-status').filter({ hasText: 'preview stopped' }).waitFor(WAIT);

    // Start: the detail page of the new query.
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.waitForURL(/\/queries\/[0-9a-f-]{36}$/, WAIT);
    await page.getByRole('heading', { level: 1, name: 'word_counts' }).waitFor(WAIT);
    const memoryTable = page.getByRole('table', { name: 'Memory table word_counts' });
    await memoryTable.getByRole('cell', { name: 'hello', exact: true }).waitFor(WAIT);

    // New messages: more batches, charts and the memory table follow live.
    await producer.send('sluice streams', 'sluice counts words');
    await memoryTable.getByRole('cell', { name: 'streams', exact: true }).waitFor(WAIT);
    const sluiceRow = memoryTable
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: 'sluice', exact: true }) });
    await sluiceRow.getByRole('cell', { name: '3', exact: true }).waitFor(WAIT);
    const batches = page.getByRole('table', { name: 'Batches' });
    await expect
      .poll(() => batches.getByRole('button', { name: /^Expand batch \d+$/ }).count(), WAIT)
      .toBeGreaterThanOrEqual(2);
    await producer.send('one more line'); // one message: the last batch reads 1 row
    await memoryTable.getByRole('cell', { name: 'line', exact: true }).waitFor(WAIT);
    await expect
      .poll(() => batches.getByRole('button', { name: /^Expand batch \d+$/ }).count(), WAIT)
      .toBeGreaterThanOrEqual(3);
    const inputRows = page.getByRole('figure', { name: 'Input rows per batch' });
    await expect
      .poll(async () => (await inputRows.getByTestId('chart-latest').textContent())?.trim(), WAIT)
      .toBe('1');
    await expect(page.locator('.recharts-line-curve').count()).resolves.toBeGreaterThan(3);

    await batches
      .getByRole('button', { name: /^Expand batch \d+$/ })
      .first()
      .click();
    await batches.getByRole('button', { name: /^Copy progress JSON of batch \d+$/ }).waitFor();
    await expect(batches.locator('pre').first().textContent()).resolves.toContain('"numInputRows"');
    if (options.screenshots) await shot(page, `query-detail-1440`);

    // Stop it from the header.
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByRole('button', { name: 'Start', exact: true }).waitFor(WAIT);
    await page.getByText('stopped', { exact: true }).first().waitFor(WAIT);

    // The list shows it with its last batch.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queries' }).click();
    const list = page.getByRole('table', { name: 'Streaming queries' });
    await list.getByRole('link', { name: 'word_counts', exact: true }).waitFor(WAIT);
    await list.getByRole('button', { name: 'Start word_counts', exact: true }).waitFor(WAIT);
    if (options.screenshots) await shot(page, `queries-1440`);
  } finally {
    await producer.close();
  }
}

describe('queries: write, preview, start and watch a Kafka word count', () => {
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

  it('goes from a typo to a running query with live charts, batches and memory table', {
    timeout: 240_000,
  }, async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await wordCountJourney(page, server, { screenshots: true });

    // The same pages on a phone.
    await page.setViewportSize(PHONE);
    await page.reload(); // the phone layout from its first paint, not mid-transition
    await page.getByRole('link', { name: 'word_counts', exact: true }).waitFor(WAIT);
    await shot(page, 'queries-390');
    await page.getByRole('link', { name: 'word_counts', exact: true }).click();
    await page
      .getByRole('table', { name: 'Memory table word_counts' })
      .getByRole('cell', { name: 'hello' })
      .waitFor(WAIT);
    await shot(page, 'query-detail-390');
    await page.goto(`${server.url}/editor`);
    await typeSql(page, 'SELECT value, timestampp FROM events');
    await page
      .getByRole('list', { name: 'Problems' })
      .getByText(/timestampp/)
      .waitFor(WAIT);
    await shot(page, 'editor-error-390');
    await typeSql(page, 'SELECT value, timestamp FROM events');
    await page.getByTestId('validation-status').filter({ hasText: 'The query analyses' }).waitFor(WAIT);
    await page.keyboard.press('ControlOrMeta+Enter');
    await page
      .getByTestId('preview-count')
      .filter({ hasText: /^[1-9][\d,]* rows/ })
      .waitFor(WAIT);
    await page.keyboard.press('Escape');
    await shot(page, 'editor-preview-390');
    await page.getByRole('button', { name: 'Stop preview' }).click();
    await page.close();
  });

  it('keeps an editor draft across a reload', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(`${server.url}/editor`);
    await page.getByLabel('Query name').fill('draft_survives');
    await typeSql(page, 'SELECT value AS kept FROM events');
    await page.getByTestId('validation-status').filter({ hasText: 'The query analyses' }).waitFor(WAIT);
    await page.reload();
    await expect(page.getByLabel('Query name').inputValue()).resolves.toBe('draft_survives');
    await expect(page.locator('.cm-content').textContent()).resolves.toBe('SELECT value AS kept FROM events');
    await page.close();
  });
});

describe('queries with an API token', () => {
  const token = `e2e-${Math.random().toString(36).slice(2)}`;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ SLUICE_API_TOKEN: token });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('asks for the token once, then the whole journey works', { timeout: 240_000 }, async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await wordCountJourney(page, server, { token, screenshots: false });
    // Kept in this browser: a reload does not ask again.
    await page.reload();
    await page.getByTestId('live-status').filter({ hasText: 'live' }).waitFor(WAIT);
    await expect(page.getByRole('dialog', { name: 'API token required' }).count()).resolves.toBe(0);
    await page.close();
  });
});
