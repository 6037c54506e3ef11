import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, launchBrowser } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const WAIT = { timeout: 30_000 };
const TOPIC = 'orders-e2e';

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: true });
}

async function pick(page: Page, scope: Locator, label: string, option: string) {
  await scope.getByRole('textbox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

interface Produced {
  value: string;
  key?: string;
  base64?: boolean;
  partition?: number;
  header?: [string, string];
  /** datetime-local text (the browser's local time). */
  time?: string;
}

/** Produces one record through the form in the drawer, waiting for the server's answer. */
async function produce(page: Page, record: Produced) {
  await page.getByRole('button', { name: 'Produce message' }).click();
  const drawer = page.getByRole('dialog', { name: `Produce to ${TOPIC}` });
  await drawer.waitFor();
  if (record.partition !== undefined) await pick(page, drawer, 'Partition', `Partition ${record.partition}`);
  if (record.key) await drawer.getByRole('textbox', { name: 'Key' }).fill(record.key);
  if (record.base64) await drawer.getByText('Base64 bytes', { exact: true }).click();
  await drawer.getByRole('textbox', { name: 'Value', exact: true }).fill(record.value);
  if (record.header) {
    await drawer.getByRole('button', { name: 'Add header' }).click();
    await drawer.getByLabel('Headers 1 name').fill(record.header[0]);
    await drawer.getByLabel('Headers 1 value').fill(record.header[1]);
  }
  if (record.time) await drawer.getByLabel('Timestamp').fill(record.time);
  const answered = page.waitForResponse(
    (r) => r.url().endsWith(`/api/topics/${TOPIC}/messages`) && r.request().method() === 'POST',
  );
  await drawer.getByRole('button', { name: 'Produce', exact: true }).click();
  expect((await answered).status()).toBe(201);
  await drawer.waitFor({ state: 'hidden' });
}

describe('topics: create, produce, browse, tail and delete', () => {
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

  it('goes through a topic’s whole life in the browser', { timeout: 240_000 }, async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    try {
      await journey(page);
    } catch (error) {
      await shot(page, 'topics-failure').catch(() => {});
      throw error;
    } finally {
      await page.close();
    }
  });

  async function journey(page: Page) {
    await page.goto(`${server.url}/topics`);
    await page.getByTestId('live-status').filter({ hasText: 'live' }).waitFor(WAIT);
    await page.getByRole('heading', { name: 'No topics yet' }).waitFor(WAIT);
    await shot(page, 'topics-empty-1440');

    // Create a topic with two partitions.
    await page.getByRole('button', { name: 'Create a topic' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create topic' });
    await dialog.getByLabel('Name').fill(TOPIC);
    await dialog.getByRole('textbox', { name: 'Partitions' }).fill('2');
    await dialog.getByRole('button', { name: 'Create topic' }).click();
    await page.waitForURL(new RegExp(`/topics/${TOPIC}$`), WAIT);
    await page.getByRole('heading', { level: 1, name: TOPIC }).waitFor(WAIT);
    await expect(page.getByTestId('topic-partitions').textContent()).resolves.toBe('2');
    await page.getByText('This topic has no messages yet.').waitFor(WAIT);
    await shot(page, 'topic-empty-1440');

    // Three records: JSON with a key and a header, text, and binary bytes; the first two with set times.
    await produce(page, {
      partition: 0,
      key: 'order-1',
      value: '{"id":1,"item":"book","price":12.5}',
      header: ['trace-id', 'abc-123'],
      time: '2020-01-01T10:00:00',
    });
    await produce(page, { partition: 0, value: 'hello sluice', time: '2020-01-02T10:00:00' });
    await produce(page, { partition: 1, value: 'AAH/QQ==', base64: true });

    // Latest N over both partitions shows all three.
    const messages = page.getByRole('table', { name: 'Messages' });
    const row = (text: string) => messages.getByRole('row').filter({ hasText: text });
    await expect.poll(() => messages.locator('tbody tr.clickable').count(), WAIT).toBe(3);
    await expect(page.getByTestId('topic-messages').textContent()).resolves.toBe('3');

    // JSON: pretty-printed, with its key and header.
    await row('order-1').click();
    const detail = page.getByRole('region', { name: 'Message' });
    const value = detail.getByLabel('Value', { exact: true });
    await expect(value.getAttribute('data-rendering')).resolves.toBe('json');
    await expect(value.textContent()).resolves.toBe('{\n  "id": 1,\n  "item": "book",\n  "price": 12.5\n}');
    await expect(detail.getByLabel('Key', { exact: true }).textContent()).resolves.toBe('order-1');
    await detail.getByRole('table', { name: 'Headers' }).getByText('abc-123').waitFor();
    await shot(page, 'topic-messages-1440');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'topic-messages-dark-1440');
    await page.emulateMedia({ colorScheme: 'light' });

    // Text stays text; JSON rendering of it says why it could not.
    await row('hello sluice').click();
    await expect(value.getAttribute('data-rendering')).resolves.toBe('text');
    await expect(value.textContent()).resolves.toBe('hello sluice');
    await detail.getByText('JSON', { exact: true }).click();
    await detail.getByText(/^not JSON/).waitFor();
    await detail.getByText('Auto', { exact: true }).click();

    // Binary: hex.
    await row('(4 bytes)').click();
    await expect(value.getAttribute('data-rendering')).resolves.toBe('hex');
    await expect(value.textContent()).resolves.toContain('00 01 ff 41');
    await expect(value.textContent()).resolves.toContain('|...A|');

    // Seek by offset: partition 0 from offset 1 is the text record alone (and the URL says so).
    const browse = page.getByRole('form', { name: 'Browse messages' });
    await pick(page, browse, 'Partition', 'Partition 0 (0–2)');
    await browse.getByText('From offset', { exact: true }).click();
    await browse.getByRole('textbox', { name: 'Offset' }).fill('1');
    await browse.getByRole('button', { name: 'Browse' }).click();
    await page.waitForURL(/partition=0&seek=offset&offset=1/, WAIT);
    await expect.poll(() => messages.locator('tbody tr.clickable').count(), WAIT).toBe(1);
    await row('hello sluice').waitFor();

    // Seek by time over all partitions: after the JSON record's time, the other two.
    await pick(page, browse, 'Partition', 'All partitions');
    await browse.getByText('From time', { exact: true }).click();
    await browse.getByLabel('From time (local)').fill('2020-01-01T12:00:00');
    await browse.getByRole('button', { name: 'Browse' }).click();
    await page.waitForURL(/seek=timestamp/, WAIT);
    await expect.poll(() => messages.locator('tbody tr.clickable').count(), WAIT).toBe(2);
    await row('hello sluice').waitFor();
    await row('(4 bytes)').waitFor();
    await expect(row('order-1').count()).resolves.toBe(0);
    await shot(page, 'topic-seek-time-1440');

    // Live tail: once the server says it is tailing, a new record arrives without a browse.
    await page.getByRole('switch', { name: 'Live tail' }).click();
    await page.getByTestId('tail-status').filter({ hasText: 'tailing' }).waitFor(WAIT);
    await produce(page, { value: '{"id":2,"item":"pen"}' });
    const live = page.getByRole('table', { name: 'Live messages' });
    await live.getByRole('row').filter({ hasText: '"item":"pen"' }).waitFor(WAIT);
    await live.getByRole('row').filter({ hasText: '"item":"pen"' }).click();
    await expect(value.textContent()).resolves.toContain('"item": "pen"');
    await shot(page, 'topic-tail-1440');
    await page.getByRole('switch', { name: 'Live tail' }).click();

    // Partitions: low and high watermarks.
    await page.getByRole('tab', { name: /^Partitions/ }).click();
    const partitions = page.getByRole('table', { name: 'Partitions' });
    await partitions.waitFor();
    const p0 = partitions.getByRole('row').nth(1);
    await expect(p0.locator('td').nth(4).textContent()).resolves.toBe('0');
    await expect
      .poll(async () => {
        const highs = await partitions
          .locator('tbody tr')
          .evaluateAll((rows) => rows.map((r) => Number(r.querySelectorAll('td')[5]?.textContent)));
        return highs.reduce((a, b) => a + b, 0);
      }, WAIT)
      .toBe(4);
    await shot(page, 'topic-partitions-1440');

    // The list shows it with its four messages.
    await page.getByRole('link', { name: '← Topics' }).click();
    const list = page.getByRole('table', { name: 'Topics' });
    await list.getByRole('link', { name: TOPIC }).waitFor(WAIT);
    await expect.poll(() => page.getByTestId(`messages-${TOPIC}`).textContent(), WAIT).toBe('4');
    await shot(page, 'topics-1440');

    // Phone layouts from a fresh load.
    await page.setViewportSize(PHONE);
    await page.reload();
    await list.getByRole('link', { name: TOPIC }).waitFor(WAIT);
    await shot(page, 'topics-390');
    await page.goto(`${server.url}/topics/${TOPIC}`);
    await expect.poll(() => messages.locator('tbody tr.clickable').count(), WAIT).toBe(4);
    await row('order-1').click();
    await shot(page, 'topic-390');
    await page.setViewportSize(DESKTOP);

    // Delete, confirmed by typing the name.
    await page.getByRole('button', { name: 'Delete topic' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete topic' });
    await confirm.getByText('and its 4 messages').waitFor();
    const del = confirm.getByRole('button', { name: 'Delete topic' });
    await expect(del.isDisabled()).resolves.toBe(true);
    await confirm.getByLabel(`Type ${TOPIC} to confirm`).fill(TOPIC);
    await shot(page, 'topic-delete-1440');
    await del.click();
    await page.waitForURL(/\/topics$/, WAIT);
    await page.getByRole('heading', { name: 'No topics yet' }).waitFor(WAIT);
    const topics = (await (await fetch(`${server.url}/api/topics`)).json()) as { name: string }[];
    expect(topics.map((t) => t.name)).not.toContain(TOPIC);
  }
});
