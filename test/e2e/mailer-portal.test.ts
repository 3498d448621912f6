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
