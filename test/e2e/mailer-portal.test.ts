import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { startWorkers } from '../../jobs/worker';
import { createApp } from '../../src/main';
import { projectPath } from '../../src/lib/project-path';
import { launchBrowser, serve, seriousAccessibilityViolations } from '../support/browser';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { createMailerKey, householdAddress, refuse } from '../support/lists-fixtures';

jest.setTimeout(90_000);

describe('mailer portal in a real browser', () => {
  let root: TestRoot;
  let browser: Browser;
  let server: { url: string; close: () => Promise<void> };
  let apiKey: string;

  beforeAll(async () => {
    root = await createTestRoot();
    startWorkers(root);
    server = await serve(createApp(root));
    browser = await launchBrowser();
    apiKey = await createMailerKey(root, 'Portal Mailer');
    await refuse(root, 'catalogs', Array.from({ length: 100 }, (_, i) => householdAddress(7 * (i + 1))));
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await root?.cleanup();
  });

  async function signIn(page: Page, key: string): Promise<void> {
    await page.goto(`${server.url}/mailer`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('signs in with the API key, uploads the sample list, follows it to the report and downloads the files, without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
    const page = await context.newPage();

    await signIn(page, 'mp_0123456789_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Unknown API key');

    await signIn(page, apiKey);
    await expect(page.locator('h1').textContent()).resolves.toBe('Your lists');
    await page.locator('main').getByRole('link', { name: 'Upload a list' }).click();
    await page.getByLabel('Category of the mailing').selectOption({ label: 'Catalogs' });
    await page.getByLabel('List file').setInputFiles(projectPath('sample-data', 'mailing-list.csv'));
    await page.getByRole('button', { name: 'Upload and cleanse' }).click();
    expect(page.url()).toMatch(/\/mailer\/lists\/[0-9a-f-]{36}$/);

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
    const sample = fs.readFileSync(projectPath('sample-data', 'mailing-list.csv'));
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

  /** Submits the upload form; the answer to the POST (the page shown comes from it). */
  async function submitUpload(page: Page) {
    const [response] = await Promise.all([
      page.waitForResponse((candidate) => candidate.request().method() === 'POST' && candidate.url().includes('/mailer/lists')),
      page.getByRole('button', { name: 'Upload and cleanse' }).click(),
    ]);
    await page.waitForLoadState();
    return response;
  }

  async function expectFieldError(page: Page, field: string, message: string) {
    const summary = page.getByRole('alert');
    await expect(summary.locator('h2').textContent()).resolves.toBe('There is a problem');
    await expect(summary.getByRole('link', { name: message }).getAttribute('href')).resolves.toBe(`#${field}`);
    await expect(page.locator(`#${field}-error`).textContent()).resolves.toContain(message);
    await expect(page.locator(`#${field}`).getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.title()).resolves.toMatch(/^Error: Upload a list/);
  }

  it('shows a refused upload again, with the error summary and the message at the field, without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, apiKey);
    await page.goto(`${server.url}/mailer/upload`);

    // No file chosen: the browser does not stop the form (novalidate); the server says what is missing.
    await page.getByLabel('Category of the mailing').selectOption({ label: 'Coupons and retail advertising' });
    await page.locator('label[for="mode-flag"]').click(); // USWDS draws the radio on its label
    expect((await submitUpload(page)).status()).toBe(400);
    await expectFieldError(page, 'file', 'Choose the list file to upload');
    await expect(page.getByLabel('Category of the mailing').inputValue()).resolves.toBe('coupons-retail');
    await expect(page.getByLabel('Every row, with a status and reason column added').isChecked()).resolves.toBe(true);

    // A category that is not (or no longer) offered: here the option is altered in the page.
    await page.locator('#category option[value="catalogs"]').evaluate((option) => option.setAttribute('value', 'no-such-category'));
    await page.getByLabel('Category of the mailing').selectOption({ label: 'Catalogs' });
    await page.getByLabel('List file').setInputFiles(projectPath('sample-data', 'mailing-list.csv'));
    expect((await submitUpload(page)).status()).toBe(404);
    await expectFieldError(page, 'category', 'Unknown category "no-such-category": choose one of the categories listed');
    await context.close();
  });

  it('has no serious accessibility problem on a refused upload', async () => {
    const page = await browser.newPage();
    await signIn(page, apiKey);
    await page.goto(`${server.url}/mailer/upload`);
    await page.getByLabel('Category of the mailing').selectOption({ label: 'Catalogs' });
    expect((await submitUpload(page)).status()).toBe(400);
    await expectFieldError(page, 'file', 'Choose the list file to upload');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  });

  it('keeps "List file" as the file input\'s name once the USWDS script has drawn its drop zone, and uploads through it', async () => {
    const page = await browser.newPage(); // JavaScript on: USWDS gives the input an aria-label of its own
    await signIn(page, apiKey);
    await page.goto(`${server.url}/mailer/upload`);
    await page.locator('.usa-file-input__target').waitFor(); // the script has run
    await expect(page.locator('#file').getAttribute('aria-label')).resolves.toBe('Drag file here or choose from folder');
    await page.getByLabel('Category of the mailing').selectOption({ label: 'Catalogs' });
    await page.getByLabel('List file', { exact: true }).setInputFiles(projectPath('sample-data', 'mailing-list.csv'));
    await page.getByRole('button', { name: 'Upload and cleanse' }).click();
    await page.waitForURL(/\/mailer\/lists\/[0-9a-f-]{36}$/);
    await page.close();
  });

  it('reloads the lists and a list in progress by itself, until the work is done, and can be told to stop', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const refresh = page.locator('meta[http-equiv="refresh"]');
    const queue = root.queues.queue('cleanse-list');
    await queue.pause(); // the list stays queued while the page is looked at
    try {
      await signIn(page, apiKey);
      await page.goto(`${server.url}/mailer/upload`);
      await page.getByLabel('Category of the mailing').selectOption({ label: 'Catalogs' });
      await page.getByLabel('List file').setInputFiles(projectPath('sample-data', 'mailing-list.csv'));
      await submitUpload(page);
      const listUrl = page.url();
      await expect(page.locator('.usa-intro').textContent()).resolves.toBe('Waiting for a worker…');
      await expect(refresh.getAttribute('content')).resolves.toBe('5');
      await expect(page.getByLabel('Progress').textContent()).resolves.toBe('0%');
      await expect(page.locator('main').textContent()).resolves.toContain('updates itself every 5 seconds');

      await page.getByRole('link', { name: 'Stop updating this page' }).click();
      await expect(refresh.count()).resolves.toBe(0);
      await expect(page.getByRole('link', { name: 'Update this page automatically' }).isVisible()).resolves.toBe(true);
      // axe counts any timed reload as a WCAG 2.2.1 failure (it cannot see the link that stops it):
      // the page is scanned once stopped (axe needs JavaScript, this context has none).
      const scan = await browser.newPage();
      await signIn(scan, apiKey);
      await scan.goto(page.url());
      expect(await seriousAccessibilityViolations(scan)).toEqual([]);
      await scan.close();

      await page.goto(`${server.url}/mailer`);
      await expect(refresh.getAttribute('content')).resolves.toBe('5');
      await expect(page.getByRole('progressbar', { name: 'Progress of mailing-list.csv' }).count()).resolves.toBe(1);

      await queue.resume();
      // The page reloads itself: no click, no reload from the test, until the list is done.
      await page.goto(listUrl);
      await page.locator('h1', { hasText: 'Processing summary' }).waitFor({ timeout: 60_000 });
      await expect(refresh.count()).resolves.toBe(0);
      await page.goto(`${server.url}/mailer`);
      await expect(refresh.count()).resolves.toBe(0);
    } finally {
      await queue.resume();
      await context.close();
    }
  });

  it('has no serious accessibility problem on the sign-in, lists and report pages', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/mailer`);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await signIn(page, apiKey);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.locator('table tbody tr a').first().click();
    await expect(page.locator('svg.mp-chart').count()).resolves.toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  });
});
