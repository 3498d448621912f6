import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startWorkers } from '../../src/start/worker';
import { loadSampleChoices } from '../../src/choices/sample-data';
import { projectPath } from '../../src/lib/project-path';
import { createApp } from '../../src/root';
import { launchBrowser, serve, seriousAccessibilityViolations } from '../support/browser';
import { createTestRoot, type TestRoot } from '../support/test-root';

const NEW_PASSWORD = 'a long operator password';

async function reloadUntil(page: Page, check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await page.reload();
  }
}

// A real browser on a machine shared with other jobs: generous time per step.
jest.setTimeout(120_000);

describe('operator console in a real browser', () => {
  let root: TestRoot;
  let browser: Browser;
  let server: { url: string; close: () => Promise<void> };
  let noScript: BrowserContext;
  let page: Page;
  let scheduleId = '';

  beforeAll(async () => {
    root = await createTestRoot({ LOAD_SAMPLE_DATA: 'true' });
    await loadSampleChoices({ ...root.services, loadSampleData: root.config.loadSampleData, logger: root.logger });
    startWorkers(root);
    server = await serve(createApp(root));
    browser = await launchBrowser();
    // The console must work without JavaScript: the whole flow runs with it turned off.
    noScript = await browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
    page = await noScript.newPage();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await root?.cleanup();
  });

  it('signs in with the one-time password and makes the operator choose a new one', async () => {
    const { password } = await root.services.operators.create('ops@example.com', { label: 'test' });
    await page.goto(`${server.url}/operator/schedules`);
    expect(new URL(page.url()).pathname).toBe('/operator/sign-in');
    await page.fill('#email', 'ops@example.com');
    await page.fill('#password', password);
    await page.click('button:has-text("Sign in")');
    expect(new URL(page.url()).pathname).toBe('/operator/password');
    await page.fill('#current', password);
    await page.fill('#password', NEW_PASSWORD);
    await page.fill('#confirm', NEW_PASSWORD);
    await page.click('button:has-text("Save password")');
    expect(new URL(page.url()).pathname).toBe('/operator');
    await expect(page.locator('h1').textContent()).resolves.toBe('Dashboard');
    await expect(page.locator('.usa-alert--success').textContent()).resolves.toContain('Your password has been changed');
  });

  it('creates a schedule after previewing its next five runs, runs it now and shows the run', async () => {
    await page.goto(`${server.url}/operator/schedules/new`);
    await page.fill('#name', 'nightly-stats');
    await page.selectOption('#kind', 'statistics');
    await page.fill('#pattern', '0 3 * * *');
    await page.fill('#tz', 'America/Chicago');
    await page.click('button:has-text("Preview next runs")');
    const preview = await page.locator('.mp-preview li').allTextContents();
    expect(preview).toHaveLength(5);
    for (const line of preview) expect(line).toMatch(/^\d{4}-\d{2}-\d{2} 03:00:00 America\/Chicago \(\d{4}-\d{2}-\d{2} (08|09):00:00 UTC\)$/);
    // The preview kept what was typed.
    await expect(page.inputValue('#tz')).resolves.toBe('America/Chicago');

    await page.click('button:has-text("Save schedule")');
    expect(new URL(page.url()).pathname).toMatch(/^\/operator\/schedules\/\d+$/);
    scheduleId = new URL(page.url()).pathname.split('/').pop()!;
    await expect(page.locator('h1').textContent()).resolves.toBe('Schedule nightly-stats');
    await expect(page.locator('.mp-definition').textContent()).resolves.toContain('0 3 * * *');

    await page.click('button:has-text("Run now")');
    await expect(page.locator('.usa-alert--success').textContent()).resolves.toContain('queued');
    await reloadUntil(page, async () => (await page.locator('.mp-runs tbody tr').count()) > 0 && (await page.locator('.mp-runs tbody').textContent())!.includes('completed'), 'the run');
    const row = await page.locator('.mp-runs tbody tr').first().textContent();
    expect(row).toContain('statistics');
    expect(row).toContain('snapshotId');
    expect(row).toMatch(/\d+(\.\d)? (ms|s)/);
  });

  it('uploads the sample returned-card file and downloads its reject report', async () => {
    await page.goto(`${server.url}/operator/imports`);
    await page.setInputFiles('#cards-file', projectPath('sample-data/returned-cards.csv'));
    await page.click('button:has-text("Upload and import cards")');
    await expect(page.locator('.usa-alert--success').textContent()).resolves.toContain('import job queued');
    const table = page.locator('.mp-job-files');
    await reloadUntil(page, async () => (await table.count()) > 0 && (await table.textContent())!.includes('completed'), 'the card import');
    const cells = await table.locator('tbody tr').first().locator('td').allTextContents();
    expect(cells[0]).toBe('returned-cards.csv');
    const [rowsIn, applied, rejected] = cells.slice(3, 6).map(Number);
    expect(rowsIn).toBe(7);
    expect(applied! + rejected!).toBe(7);
    expect(rejected).toBeGreaterThan(0);

    const [download] = await Promise.all([page.waitForEvent('download'), table.locator('a:has-text("Reject report")').first().click()]);
    const report = fs.readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
    expect(report[0]).toBe('line,reason,message,code');
    expect(report).toHaveLength(rejected! + 1);
    expect(download.suggestedFilename()).toMatch(/^import-returned-cards-run-\d+-rejects\.csv$/);
  });

  it('shows the opt-out chart on the dashboard after a statistics snapshot', async () => {
    await page.goto(`${server.url}/operator`);
    await page.click('button:has-text("Take a statistics snapshot now")');
    await reloadUntil(page, async () => (await page.locator('.mp-runs tbody').textContent())?.includes('completed') ?? false, 'the snapshot');
    await page.goto(`${server.url}/operator`);
    await expect(page.locator('svg.mp-chart polyline').count()).resolves.toBeGreaterThanOrEqual(7);
    const table = await page.locator('.mp-opt-out-table tbody tr').last().textContent();
    // The sample cards refused some categories: a share above zero shows up.
    expect(table).toMatch(/[1-9]\d*\.\d%/);
  });

  it('has no serious or critical accessibility problem on any console page', async () => {
    const mailer = await root.services.mailersConsole.create('Scan Mailer', { label: 'test' });
    const state = await noScript.storageState();
    const context = await browser.newContext({ storageState: state });
    const withScripts = await context.newPage();
    const paths = [
      '/operator',
      '/operator/schedules',
      '/operator/schedules/new',
      `/operator/schedules/${scheduleId}`,
      `/operator/schedules/${scheduleId}/edit`,
      `/operator/schedules/${scheduleId}/delete`,
      '/operator/runs',
      '/operator/categories',
      '/operator/postcards',
      '/operator/mailers',
      `/operator/mailers/${mailer.id}`,
      '/operator/imports',
      '/operator/audit',
      '/operator/password',
    ];
    const problems: Record<string, unknown> = {};
    for (const path of paths) {
      const response = await withScripts.goto(`${server.url}${path}`);
      expect(response?.status()).toBe(200);
      const violations = await seriousAccessibilityViolations(withScripts);
      if (violations.length) problems[path] = violations;
    }
    const anonymous = await browser.newPage();
    await anonymous.goto(`${server.url}/operator/sign-in`);
    const signIn = await seriousAccessibilityViolations(anonymous);
    if (signIn.length) problems['/operator/sign-in'] = signIn;
    expect(problems).toEqual({});
    await anonymous.close();
    await context.close();
  });

  it('pauses, resumes and (after confirming) deletes the schedule from its page', async () => {
    await page.goto(`${server.url}/operator/schedules/${scheduleId}`);
    await page.click('button:has-text("Pause")');
    await expect(page.locator('.mp-definition').textContent()).resolves.toContain('none while paused');
    expect(await root.queues.queue('statistics').getJobScheduler(`schedule-${scheduleId}`)).toBeUndefined();
    await page.click('button:has-text("Resume")');
    expect(await root.queues.queue('statistics').getJobScheduler(`schedule-${scheduleId}`)).toMatchObject({ pattern: '0 3 * * *' });
    await page.click('a:has-text("Delete")');
    await expect(page.locator('h1').textContent()).resolves.toBe('Delete schedule nightly-stats?');
    await page.click('button:has-text("Delete nightly-stats")');
    expect(new URL(page.url()).pathname).toBe('/operator/schedules');
    await expect(page.locator('main').textContent()).resolves.toContain('No schedules yet');
    const actions = (await root.services.audit.list({ limit: 50 })).map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['schedule.create', 'schedule.run-now', 'schedule.pause', 'schedule.resume', 'schedule.delete', 'import-returned-cards.upload']));
  });

  it('serves Bull Board behind the same sign-in', async () => {
    const context = await browser.newContext({ storageState: await noScript.storageState() });
    const board = await context.newPage();
    const response = await board.goto(`${server.url}/operator/queues`);
    expect(response?.status()).toBe(200);
    await board.waitForSelector('text=statistics', { timeout: 15_000 });
    const anonymous = await browser.newPage();
    await anonymous.goto(`${server.url}/operator/queues`);
    expect(new URL(anonymous.url()).pathname).toBe('/operator/sign-in');
    await anonymous.close();
    await context.close();
  });
});
