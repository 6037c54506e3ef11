import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, launchBrowser } from './support/browser.js';
import { serverBootstrap } from './support/kafka.js';
import { type RunningServer, startServer } from './support/server.js';

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const WAIT = { timeout: 30_000 };
const QUERY = 'orders-parser';
const QUARANTINE = 'orders-quarantine';

/**
 * A screenshot once drawers and dialogs have finished sliding in; `fullPage` false for what floats
 * over the page (a drawer or dialog stays in the viewport).
 */
async function shot(page: Page, name: string, fullPage = true) {
  // A string: this package compiles without the DOM's types.
  await page.waitForFunction(`[...document.querySelectorAll('.mantine-Drawer-content, .mantine-Modal-content')]
    .every((el) => { const s = getComputedStyle(el); return s.opacity === '1' && (s.transform === 'none' || s.transform === 'matrix(1, 0, 0, 1, 0, 0)'); })`);
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage });
}

/** Polls until `check` holds (no fixed sleeps). */
async function until(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('dead letters: find, inspect and replay what a query could not parse', () => {
  let server: RunningServer;
  let browser: Browser;
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const tableTotal = async (table: string) =>
    (await api<{ total: number }>('GET', `/api/tables/${table}/rows?limit=1`).catch(() => ({ total: -1 })))
      .total;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('produces 100 orders with 10 malformed, replays the 10 to a quarantine query, sees them processed', {
    timeout: 300_000,
  }, async () => {
    for (const name of ['orders', QUARANTINE]) await api('POST', '/api/topics', { name });
    const parser = await api<{ id: string }>('POST', '/api/queries?start=true', {
      name: QUERY,
      sources: {
        orders: {
          format: 'kafka',
          // The engine parses the value: a record that does not parse goes to `orders-parser.dlq`.
          options: {
            subscribe: 'orders',
            startingOffsets: 'earliest',
            valueFormat: 'json',
            schema: 'id INT, amount DOUBLE',
          },
        },
      },
      sql: 'SELECT id, amount FROM orders',
      sink: { format: 'memory', options: { onError: 'deadletter' } },
      outputMode: 'append',
    });
    // The records' new target: a query that keeps what it receives as raw text.
    await api('POST', '/api/queries?start=true', {
      name: QUARANTINE,
      sources: { q: { format: 'kafka', options: { subscribe: QUARANTINE, startingOffsets: 'earliest' } } },
      sql: 'SELECT CAST(key AS STRING) AS key, CAST(value AS STRING) AS raw FROM q',
      sink: { format: 'memory' },
      outputMode: 'append',
    });

    const page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(`${server.url}/dead-letters`);
    await page.getByTestId('live-status').filter({ hasText: 'live' }).waitFor(WAIT);
    await page.getByRole('heading', { name: 'No dead letters' }).waitFor(WAIT);
    await shot(page, 'dead-letters-empty-1440');

    // 100 orders, every tenth (offsets 3, 13, …, 93) malformed JSON.
    const brokers = await serverBootstrap(server.url);
    const kafka = new Kafka({ clientId: 'sluice-e2e-orders', brokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const malformed = (i: number) => `{"id": ${i}, "amount": }`;
    await producer.send({
      topic: 'orders',
      acks: -1,
      messages: Array.from({ length: 100 }, (_, i) => ({
        key: `order-${i}`,
        value: i % 10 === 3 ? malformed(i) : JSON.stringify({ id: i, amount: i * 1.5 }),
      })),
    });
    await producer.disconnect();
    await until(async () => (await tableTotal(QUERY)) === 90, 60_000);

    const bad = Array.from({ length: 10 }, (_, n) => n * 10 + 3);

    // They appear without a reload.
    const rows = page.getByTestId('dead-letter-row');
    await until(async () => (await rows.count()) === 10);
    // The counts are their own request, refetched with the list: they may land a moment later.
    const total = page.getByTestId('counts-total');
    await until(async () => ((await total.textContent()) ?? '').includes('10 total'));
    await expect(total.textContent()).resolves.toContain('10 total');

    // The queries page counts them per query and links to the filtered list.
    await page.getByRole('link', { name: 'Queries', exact: true }).click();
    const count = page.getByRole('link', { name: `10 dead letters of ${QUERY}` });
    await count.waitFor(WAIT);
    await shot(page, 'queries-dead-letter-counts-1440');
    // The query's own page shows the same count among its headline numbers, linking to the same list.
    await page.goto(`${server.url}/queries/${parser.id}`);
    await page.getByTestId('stat-Dead letters').filter({ hasText: '10' }).waitFor(WAIT);
    // The per-batch chart plots the engine's observation of every batch: the batches' counts add up
    // to the 10, and the chart's latest figure is the last batch's count.
    type Progress = { batchId: number; observedMetrics?: { deadLetters?: { numDeadLetters?: number } } };
    const perBatch = async () =>
      (await api<{ items: Progress[] }>('GET', `/api/queries/${parser.id}/progress?limit=1000`)).items.map(
        (p) => p.observedMetrics?.deadLetters?.numDeadLetters,
      );
    expect((await perBatch()).reduce<number>((sum, n) => sum + (n ?? 0), 0)).toBe(10);
    const chartLatest = page
      .getByRole('figure', { name: 'Dead letters per batch' })
      .getByTestId('chart-latest');
    await until(async () => {
      const last = (await perBatch()).at(-1);
      return (await chartLatest.textContent()) === (last === undefined ? '–' : String(last));
    });
    await page.getByRole('link', { name: 'Dead letters of this query' }).click();
    await page.waitForURL(/\/dead-letters\?query=orders-parser/);
    await until(async () => (await rows.count()) === 10);
    await page.goto(`${server.url}/queries`);
    await count.click();
    await page.waitForURL(/\/dead-letters\?query=orders-parser/);
    await until(async () => (await rows.count()) === 10);
    await shot(page, 'dead-letters-1440');

    // One of them: the parse error, its place marked in the value.
    await rows.first().click();
    const detail = page.getByTestId('dead-letter-detail');
    await detail.waitFor(WAIT);
    await expect(detail.getByTestId('dead-letter-message').textContent()).resolves.toContain(
      'Malformed records are detected in record parsing',
    );
    await expect(detail.getByTestId('parse-error-mark').textContent()).resolves.toBe('}');
    await detail.getByText(/^orders · partition 0 · offset (3|13|23|33|43|53|63|73|83|93)$/).waitFor(WAIT);
    await shot(page, 'dead-letter-detail-1440', false);
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'hidden' });

    // Replay all ten to the quarantine query's topic, after a confirmation naming count and target.
    await page.getByRole('button', { name: /Replay all matching \(10\)/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Replay dead letters' });
    await dialog.getByLabel('Another topic').check();
    await dialog.getByRole('textbox', { name: 'Topic' }).fill(QUARANTINE);
    // Close the topic suggestions so the confirmation is in view.
    await dialog.getByText('Send them to').click();
    await expect(dialog.getByTestId('replay-confirmation').textContent()).resolves.toContain(
      `Replay 10 dead letters to ${QUARANTINE}?`,
    );
    await shot(page, 'dead-letters-replay-confirm-1440', false);
    await dialog.getByRole('button', { name: `Replay 10 to ${QUARANTINE}` }).click();
    const result = dialog.getByTestId('replay-result');
    await result.waitFor(WAIT);
    await expect(result.textContent()).resolves.toContain(
      `Replayed 10 of 10 dead letters → ${QUARANTINE} (10)`,
    );
    await shot(page, 'dead-letters-replay-result-1440', false);
    await dialog.getByRole('button', { name: 'Close' }).click();

    // Processed: the quarantine query's output grew by ten; every row is marked replayed.
    await until(async () => (await tableTotal(QUARANTINE)) === 10, 60_000);
    const replayed = await api<{ rows: { key: string; raw: string }[] }>(
      'GET',
      `/api/tables/${QUARANTINE}/rows`,
    );
    expect(replayed.rows.map((r) => r.raw).sort()).toEqual(bad.map(malformed).sort());
    await until(async () => (await page.getByTestId('replayed-badge').count()) === 10);
    await shot(page, 'dead-letters-replayed-1440');
    await rows.first().click();
    const replays = detail.getByRole('table', { name: 'Replays' });
    await replays.waitFor(WAIT);
    await expect(replays.textContent()).resolves.toContain(QUARANTINE);
    await replays.scrollIntoViewIfNeeded();
    await shot(page, 'dead-letter-replays-1440', false);

    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'hidden' });

    // Purge two chosen ones, after a confirmation that says how many.
    await rows.nth(0).getByRole('checkbox').check();
    await rows.nth(1).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Purge 2 selected…' }).click();
    const purge = page.getByRole('dialog', { name: 'Purge dead letters' });
    await expect(purge.getByTestId('purge-confirmation').textContent()).resolves.toContain(
      'Delete 2 dead letters',
    );
    await shot(page, 'dead-letters-purge-confirm-1440', false);
    await purge.getByRole('button', { name: 'Purge 2' }).click();
    await until(async () => (await rows.count()) === 8);
    await until(async () => (await api<{ total: number }>('GET', '/api/dead-letters/counts')).total === 8);

    // The dark theme (it follows the system's).
    const dark = await browser.newPage({ viewport: DESKTOP, colorScheme: 'dark' });
    await dark.goto(
      `${server.url}/dead-letters?query=${QUERY}&id=${await rows.first().getAttribute('data-id')}`,
    );
    await dark.getByTestId('parse-error-mark').waitFor(WAIT);
    await shot(dark, 'dead-letter-detail-dark-1440', false);

    // The same page on a phone, from a fresh load.
    const phone = await browser.newPage({ viewport: PHONE });
    await phone.goto(`${server.url}/dead-letters?query=${QUERY}`);
    const phoneRows = phone.getByTestId('dead-letter-row');
    await until(async () => (await phoneRows.count()) === 8);
    await shot(phone, 'dead-letters-390');
    await phoneRows.nth(2).click();
    await phone.getByTestId('parse-error-mark').waitFor(WAIT);
    await shot(phone, 'dead-letter-detail-390', false);
  });
});
