import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startWorkers } from '../../src/start/worker';
import { createApp } from '../../src/root';
import { projectPath } from '../../src/lib/project-path';
import { accessibilityViolations, DESKTOP, horizontalOverflow, launchBrowser, PHONE, serve } from '../support/browser';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { createMailerKey, householdAddress, refuse } from '../support/lists-fixtures';

jest.setTimeout(120_000);

const SAMPLE = projectPath('sample-data', 'mailing-list.csv');

describe('mailer portal in a real browser', () => {
  let root: TestRoot;
  let browser: Browser;
  let server: { url: string; close: () => Promise<void> };
  let apiKey: string;
  // A webhook receiver on this machine (allowed by WEBHOOK_ALLOW_PRIVATE) that answers 204.
  let receiver: http.Server;
  let receiverUrl: string;

  beforeAll(async () => {
    receiver = http.createServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`;
    root = await createTestRoot({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    startWorkers(root);
    server = await serve(createApp(root));
    browser = await launchBrowser();
    apiKey = await createMailerKey(root, 'Portal Mailer');
    await refuse(root, 'catalogs', Array.from({ length: 100 }, (_, i) => householdAddress(7 * (i + 1))));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await root?.cleanup();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  async function signIn(page: Page, key: string): Promise<void> {
    await page.goto(`${server.url}/mailer`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** Submits the upload form; the answer to the POST (the page shown comes from it). */
  async function submitUpload(page: Page) {
    const [response] = await Promise.all([
      page.waitForResponse((candidate) => candidate.request().method() === 'POST' && candidate.url().includes('/mailer/lists')),
      page.getByRole('button', { name: 'Upload and check the columns' }).click(),
    ]);
    await page.waitForLoadState();
    return response;
  }

  /** Uploads a file for Catalogs and starts it from the column preview; the list's URL. */
  async function uploadAndStart(page: Page, file = SAMPLE): Promise<string> {
    await page.goto(`${server.url}/mailer/upload`);
    await page.getByLabel('Category of the mailing').selectOption({ label: 'Catalogs' });
    await page.getByLabel('List file', { exact: true }).setInputFiles(file);
    await submitUpload(page);
    await page.getByRole('button', { name: 'Start cleansing' }).click();
    await page.waitForURL(/\/mailer\/lists\/[0-9a-f-]{36}$/);
    return page.url();
  }

  /**
   * Waits for a started list to end. A page loaded while the list was still going gets the link
   * from the progress script; one loaded after the worker had already finished (a busy machine's
   * ordering) shows the ended list itself. Either way the page then shows `ended`.
   */
  async function followToTheEnd(page: Page, linkName: string, ended: Locator): Promise<void> {
    const link = page.getByRole('link', { name: linkName });
    await link.or(ended).first().waitFor({ timeout: 60_000 });
    if (await link.isVisible()) await link.click();
    await ended.waitFor();
  }

  async function expectNoViolations(page: Page, what: string): Promise<void> {
    const violations = await accessibilityViolations(page);
    expect({ what, violations }).toEqual({ what, violations: [] });
  }

  it('signs in with the API key, uploads the sample list, checks its columns, follows it to the report and downloads the files, without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
    const page = await context.newPage();

    await signIn(page, 'mp_0123456789_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Unknown API key');

    await signIn(page, apiKey);
    await expect(page.locator('h1').textContent()).resolves.toBe('Your lists');
    await page.locator('main').getByRole('link', { name: 'Upload a list' }).click();

    const [template] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV template' }).click()]);
    expect(template.suggestedFilename()).toBe('mailing-list-template.csv');
    expect(fs.readFileSync((await template.path())!, 'utf8').split('\r\n')[0]).toBe('first_name,last_name,address1,address2,city,state,zip,zip4');

    await page.getByLabel('Category of the mailing').selectOption({ label: 'Catalogs' });
    await page.getByLabel('List file').setInputFiles(SAMPLE);
    expect((await submitUpload(page)).status()).toBe(303);

    // The preview: the header read and the columns used; nothing queued yet.
    await expect(page.locator('h1').textContent()).resolves.toBe('Check the columns of mailing-list.csv');
    const columns = page.getByRole('table', { name: 'The columns the cleanse will read' });
    await expect(columns.getByRole('row', { name: /Street address \(address1\)/ }).textContent()).resolves.toContain('address1');
    await expect(columns.getByRole('row', { name: /ZIP\+4 \(zip4\)/ }).textContent()).resolves.toContain('none: not in the list');
    await expect(page.locator('.mp-preview li').allTextContents()).resolves.toEqual(['first_name', 'last_name', 'address1', 'address2', 'city', 'state', 'zip']);
    const listUrl = page.url();
    expect((await root.db.query(`SELECT status FROM list_jobs WHERE id = $1::uuid`, [listUrl.split('/').pop()])).rows[0]!.status).toBe('draft');
    await page.getByRole('button', { name: 'Start cleansing' }).click();
    expect(page.url()).toBe(listUrl);

    const deadline = Date.now() + 60_000;
    while ((await page.locator('h1').textContent()) !== 'Processing summary: mailing-list.csv') {
      if (Date.now() > deadline) throw new Error(`still: ${await page.locator('main').textContent()}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await page.reload();
    }
    await expect(page.locator('svg.mp-chart title').textContent()).resolves.toBe('Rows kept and discarded, by reason');
    const check = await page.locator('main').textContent();
    expect(check).toMatch(/3000 rows in = \d+ kept \+ \d+ discarded/);

    const [cleansedDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the cleansed list' }).click()]);
    expect(cleansedDownload.suggestedFilename()).toBe('mailing-list.cleansed.csv');
    const cleansed = fs.readFileSync((await cleansedDownload.path())!);
    const sample = fs.readFileSync(SAMPLE);
    expect(cleansed.subarray(0, 60).toString()).toBe(sample.subarray(0, 60).toString()); // same header, same bytes
    expect(cleansed.length).toBeLessThan(sample.length);

    const [discardsDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the discard report' }).click()]);
    const discards = fs.readFileSync((await discardsDownload.path())!, 'utf8');
    expect(discards.split('\n')[0]).toBe('line_number,reason,reason_detail,choice_date,raw_row,first_name,last_name,address1,address2,city,state,zip');
    expect(discards).toContain(',OPTED_OUT,');
    expect(discards).toContain(',MALFORMED_ROW,');

    await page.goto(`${server.url}/mailer`);
    await expect(page.locator('table tbody tr').first().textContent()).resolves.toContain('mailing-list.csv');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByLabel('API key').isVisible()).resolves.toBe(true);
    await context.close();
  });

  async function expectFieldError(page: Page, field: string, message: string) {
    const summary = page.getByRole('alert');
    await expect(summary.locator('h2').textContent()).resolves.toBe('There is a problem');
    await expect(summary.getByRole('link', { name: message }).getAttribute('href')).resolves.toBe(`#${field}`);
    await expect(page.locator(`#${field}-error`).textContent()).resolves.toContain(message);
    await expect(page.locator(`#${field}`).getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.title()).resolves.toMatch(/^Error: Upload a list/);
  }

  it('shows a refused upload again with every problem in the summary and at its field, and no token in the address, without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, apiKey);
    await page.goto(`${server.url}/mailer/upload`);

    // Neither a category nor a file: both problems at once (novalidate: the server says what is missing).
    await page.locator('label[for="mode-flag"]').click(); // USWDS draws the radio on its label
    expect((await submitUpload(page)).status()).toBe(400);
    expect(page.url()).toBe(`${server.url}/mailer/lists`);
    await expectFieldError(page, 'file', 'Choose the list file to upload');
    await expectFieldError(page, 'category', 'Choose the category of the mailing');
    await expect(page.getByLabel('Every row, with a status and reason column added').isChecked()).resolves.toBe(true);

    // A category that is not (or no longer) offered: here the option is altered in the page.
    await page.locator('#category option[value="catalogs"]').evaluate((option) => option.setAttribute('value', 'no-such-category'));
    await page.getByLabel('Category of the mailing').selectOption({ label: 'Catalogs' });
    await page.getByLabel('List file').setInputFiles(SAMPLE);
    expect((await submitUpload(page)).status()).toBe(404);
    await expectFieldError(page, 'category', 'Unknown category "no-such-category": choose one of the categories listed');
    expect(page.url()).not.toContain('_csrf');
    await context.close();
  });

  it('follows a list in progress without reloading the page: a live status line, no meta refresh', async () => {
    const page = await browser.newPage();
    const queue = root.queues.queue('cleanse-list');
    await queue.pause(); // the list stays queued while the page is looked at
    try {
      await signIn(page, apiKey);
      await uploadAndStart(page);
      await expect(page.locator('meta[http-equiv="refresh"]').count()).resolves.toBe(0);
      const status = page.getByRole('status');
      await expect(status.textContent()).resolves.toBe('Waiting for a worker…');
      await expect(page.locator('[data-progress-note]').textContent()).resolves.toBe('This page updates as the work goes on.');
      await expectNoViolations(page, 'a list in progress');
      let reloads = 0;
      page.on('load', () => reloads++);
      await queue.resume();
      await page.getByRole('link', { name: 'See the processing summary' }).waitFor({ timeout: 60_000 });
      await expect(status.textContent()).resolves.toMatch(/^Done: [\d,]+ kept of 3,000 rows\. See the processing summary$/);
      await expect(page.getByLabel('Progress').getAttribute('value')).resolves.toBe('100');
      expect(reloads).toBe(0);
      await page.getByRole('link', { name: 'See the processing summary' }).click();
      await page.locator('h1', { hasText: 'Processing summary' }).waitFor();
    } finally {
      await queue.resume();
      await page.close();
    }
  });

  it('keeps following a list after the server answers a poll with an error once (a busy or restarting server)', async () => {
    const page = await browser.newPage();
    const queue = root.queues.queue('cleanse-list');
    await queue.pause();
    try {
      await signIn(page, apiKey);
      let refused = 0;
      await page.route(/\/mailer\/lists\/[0-9a-f-]{36}\/progress$/, async (route) => {
        if (refused++ === 0) await route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"UNAVAILABLE"}}' });
        else await route.continue();
      });
      await uploadAndStart(page);
      await queue.resume();
      await page.getByRole('link', { name: 'See the processing summary' }).waitFor({ timeout: 60_000 });
      expect(refused).toBeGreaterThan(1);
      await expect(page.locator('[data-progress-note]').textContent()).resolves.toBe('This page updates as the work goes on.');
    } finally {
      await queue.resume();
      await page.close();
    }
  });

  it('without JavaScript, a list in progress says its figures are as of loading and offers Refresh', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const queue = root.queues.queue('cleanse-list');
    await queue.pause();
    try {
      await signIn(page, apiKey);
      const listUrl = await uploadAndStart(page);
      await expect(page.locator('meta[http-equiv="refresh"]').count()).resolves.toBe(0);
      await expect(page.locator('.mp-refresh').textContent()).resolves.toBe('The figures are as of when the page was loaded. Refresh');
      await page.goto(`${server.url}/mailer`);
      await expect(page.getByRole('progressbar', { name: 'Progress of mailing-list.csv' }).count()).resolves.toBeGreaterThan(0);
      await queue.resume();
      await page.goto(listUrl);
      const deadline = Date.now() + 60_000;
      while ((await page.locator('h1').textContent()) !== 'Processing summary: mailing-list.csv') {
        if (Date.now() > deadline) throw new Error('the list did not finish');
        await new Promise((resolve) => setTimeout(resolve, 300));
        await page.getByRole('link', { name: 'Refresh' }).click();
      }
    } finally {
      await queue.resume();
      await context.close();
    }
  });

  describe.each([
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ])('at %s width', (_name, viewport) => {
    let context: BrowserContext;
    let page: Page;
    beforeAll(async () => {
      context = await browser.newContext({ viewport });
      page = await context.newPage();
    });
    afterAll(async () => {
      await context?.close();
    });

    it('every portal page fits the width and has no accessibility violation of any impact', async () => {
      await page.goto(`${server.url}/mailer`);
      await expectNoViolations(page, 'sign-in');
      expect(await horizontalOverflow(page)).toBe(0);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.locator('#api_key-error').textContent()).resolves.toContain('Enter your API key');
      await expectNoViolations(page, 'refused sign-in');
      await signIn(page, apiKey);

      // The webhook page: empty, refused with its problem at the field, and showing a new secret once.
      await page.goto(`${server.url}/mailer/webhook`);
      const remove = page.getByRole('button', { name: 'Remove the webhook' });
      if (await remove.isVisible()) await remove.click();
      await expectNoViolations(page, 'webhook');
      await page.getByRole('button', { name: 'Set up the webhook' }).click();
      await expect(page.locator('#url-error').textContent()).resolves.toContain('Enter the address');
      await expectNoViolations(page, 'refused webhook');
      await page.getByLabel('Webhook address').fill(receiverUrl);
      await page.getByRole('button', { name: 'Set up the webhook' }).click();
      await expect(page.locator('.mp-secret').textContent()).resolves.toMatch(/^whsec_/);
      await expectNoViolations(page, 'webhook secret');
      expect(await horizontalOverflow(page)).toBe(0);

      // A list that fails, with a long reason, for the lists table.
      await page.goto(`${server.url}/mailer/upload`);
      await page.getByLabel('Category of the mailing').selectOption({ label: 'Catalogs' });
      await page.getByLabel('List file', { exact: true }).setInputFiles({ name: 'header-only-with-a-rather-long-file-name-for-a-phone.csv', mimeType: 'text/csv', buffer: Buffer.from('address1,city,state,zip\r\n') });
      await submitUpload(page);
      await expectNoViolations(page, 'column preview');
      expect(await horizontalOverflow(page)).toBe(0);
      await page.getByRole('button', { name: 'Start cleansing' }).click();
      await followToTheEnd(page, 'See why', page.getByRole('alert'));
      await expectNoViolations(page, 'failed list');
      expect(await horizontalOverflow(page)).toBe(0);

      await uploadAndStart(page);
      await followToTheEnd(page, 'See the processing summary', page.locator('h1', { hasText: 'Processing summary' }));
      // The report with its webhook attempt (delivered to the receiver above).
      for (let tries = 0; !(await page.locator('.mp-webhook-deliveries').isVisible()) && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        await page.reload();
      }
      await expect(page.locator('.mp-webhook-deliveries tbody').textContent()).resolves.toContain('HTTP 204 (delivered)');
      await expectNoViolations(page, 'report');
      expect(await horizontalOverflow(page)).toBe(0);

      await page.goto(`${server.url}/mailer`);
      await expectNoViolations(page, 'lists');
      expect(await horizontalOverflow(page)).toBe(0);
      const failedRow = page.locator('tbody tr', { hasText: 'header-only-with-a-rather-long' }).first();
      expect((await failedRow.boundingBox())!.height).toBeLessThan(viewport === PHONE ? 320 : 120);

      await page.goto(`${server.url}/mailer/upload`);
      await expectNoViolations(page, 'upload form');
      expect(await horizontalOverflow(page)).toBe(0);
      await page.getByRole('button', { name: 'Upload and check the columns' }).click();
      await page.getByRole('alert').waitFor();
      await expectNoViolations(page, 'refused upload');
      expect(await horizontalOverflow(page)).toBe(0);
    });
  });
});
