import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startWorkers } from '../../src/start/worker';
import { loadSampleChoices } from '../../src/choices/sample-data';
import { projectPath } from '../../src/lib/project-path';
import { createApp } from '../../src/root';
import { accessibilityViolations, DESKTOP, horizontalOverflow, launchBrowser, PHONE, serve } from '../support/browser';
import { createTestRoot, type TestRoot } from '../support/test-root';
import { recordChoice } from '../support/preferences';

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

  async function takeSnapshot(): Promise<void> {
    const before = await root.services.statistics.latest(100);
    await page.goto(`${server.url}/operator`);
    await page.click('button:has-text("Take a statistics snapshot now")');
    const deadline = Date.now() + 20_000;
    while ((await root.services.statistics.latest(100)).length === before.length) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the snapshot');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('shows today\'s share per category as bars after a snapshot, and each trend once there are two', async () => {
    await takeSnapshot();
    await page.goto(`${server.url}/operator`);
    const rows = page.locator('table.mp-bars tbody tr');
    await expect(rows.count()).resolves.toBe(7);
    // Each category on a row of its own, its share written beside its bar.
    for (const text of await rows.allTextContents()) expect(text).toMatch(/\d+\.\d% \(\d+\)/);
    const widths = await page.locator('.mp-bar__fill').evaluateAll((bars) => bars.map((bar) => (bar as HTMLElement).style.width));
    expect(widths.some((width) => width === '100%')).toBe(true);
    // The README's demo: a snapshot ran before the sample cards were imported (Run now above), so
    // this one shows the categories the cards refused going up.
    expect((await page.locator('.mp-trend').allTextContents()).filter((text) => text.startsWith('+')).length).toBeGreaterThan(0);

    // A household refuses catalogs between the snapshots: the trend shows the change.
    const catalogs = await page.locator('tr[data-category="catalogs"] .mp-bar__value').textContent();
    await recordChoice(root.db, { address1: '999 Trend Ave', zip: '02134' }, 'catalogs', false);
    await takeSnapshot();
    await page.goto(`${server.url}/operator`);
    await expect(page.locator('.mp-bars th:has-text("Trend")').count()).resolves.toBe(1);
    await expect(page.locator('svg.mp-spark').count()).resolves.toBe(7);
    const trend = await page.locator('tr[data-category="catalogs"] .mp-trend').textContent();
    expect(trend).toMatch(/^\+\d+\.\d points since /);
    expect(await page.locator('tr[data-category="catalogs"] .mp-bar__value').textContent()).not.toBe(catalogs);
    await expect(page.locator('.mp-opt-out-table tbody tr').count()).resolves.toBe((await root.services.statistics.latest(100)).length);
  });

  it('retires a category only after a confirmation page, from a compact categories page', async () => {
    await page.setViewportSize(DESKTOP);
    await page.goto(`${server.url}/operator/categories`);
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(1800);
    await page.click('a:has-text("Edit Political mail")');
    await page.click('a:has-text("Retire Political mail")');
    await expect(page.locator('h1').textContent()).resolves.toBe('Retire Political mail?');
    await page.click('a:has-text("Keep it")');
    expect((await root.services.categories.listAll()).find((c) => c.slug === 'political')!.active).toBe(true);
    await page.click('a:has-text("Retire Political mail")');
    await page.click('button:has-text("Retire Political mail")');
    await expect(page.locator('.usa-alert--success').textContent()).resolves.toContain('retired');
    expect((await root.services.categories.listAll()).find((c) => c.slug === 'political')!.active).toBe(false);
    await page.click('button:has-text("Restore Political mail")');
    expect((await root.services.categories.listAll()).find((c) => c.slug === 'political')!.active).toBe(true);
  });

  it('creates an operator, resets their password and disables them from the console', async () => {
    await page.goto(`${server.url}/operator/operators`);
    await page.fill('#email', 'not an email');
    await page.click('button:has-text("Add operator")');
    await expect(page.locator('#email-error').textContent()).resolves.toContain('Enter an email address');
    await page.fill('#email', 'second@example.com');
    await page.click('button:has-text("Add operator")');
    const first = await page.locator('.mp-secret').textContent();
    expect(first).toMatch(/\S{12,}/);
    await expect(root.services.operators.signIn('second@example.com', first!)).resolves.toBeDefined();
    await page.click('button:has-text("Reset password second@example.com")');
    const second = await page.locator('.mp-secret').textContent();
    expect(second).not.toBe(first);
    await expect(root.services.operators.signIn('second@example.com', first!)).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    await page.click('button:has-text("Disable second@example.com")');
    await expect(page.locator('.mp-operators').textContent()).resolves.toContain('disabled');
    await expect(root.services.operators.signIn('second@example.com', second!)).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    await page.click('button:has-text("Enable second@example.com")');
    await expect(root.services.operators.signIn('second@example.com', second!)).resolves.toBeDefined();
    // No button disables your own account.
    await expect(page.locator('button:has-text("Disable ops@example.com")').count()).resolves.toBe(0);
  });

  it('looks up an address\'s choices and history', async () => {
    await recordChoice(root.db, { address1: '12 Lookup Rd', zip: '02134' }, 'coupons-retail', false);
    await page.goto(`${server.url}/operator/addresses`);
    await page.fill('#address', '12 Lookup Road, Boston MA 02134');
    await page.click('button:has-text("Look up")');
    await expect(page.locator('h2').first().textContent()).resolves.toContain('12 LOOKUP RD');
    const current = await page.locator('.mp-current-choices tbody').textContent();
    expect(current).toContain('refuses');
    await expect(page.locator('.mp-choice-history tbody tr').count()).resolves.toBe(1);
    await page.fill('#address', '!!!');
    await page.click('button:has-text("Look up")');
    await expect(page.locator('#address-error').textContent()).resolves.toContain('cannot be read');
    const lookups = (await root.services.audit.list({ action: 'address.look-up', limit: 10 })).length;
    expect(lookups).toBe(2);
  });

  it('exports the audit log as CSV with formula cells neutralised', async () => {
    await root.services.audit.record({ label: '=HYPERLINK("http://evil")' }, 'test.formula', { type: 'file', id: '+1' });
    await page.goto(`${server.url}/operator/audit`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("as CSV")')]);
    const lines = fs.readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('id,at,actor,action,target_type,target_id,details');
    const row = lines.find((line) => line.includes('test.formula'))!;
    expect(row).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(row).toContain(",'+1,");
    expect(lines.length - 1).toBe((await root.services.audit.list({ limit: 10_000 })).length);
  });

  it('has no accessibility problem of any impact on any console page, at phone and desktop width, and nothing wraps or scrolls sideways', async () => {
    const mailer = await root.services.mailersConsole.create('Scan Mailer', { label: 'test' });
    const state = await noScript.storageState();
    const context = await browser.newContext({ storageState: state });
    const withScripts = await context.newPage();
    const category = (await root.services.categories.listAll())[0]!;
    const paths = [
      '/operator',
      '/operator/schedules',
      '/operator/schedules/new',
      `/operator/schedules/${scheduleId}`,
      `/operator/schedules/${scheduleId}/edit`,
      `/operator/schedules/${scheduleId}/delete`,
      '/operator/runs',
      '/operator/categories',
      `/operator/categories/${category.id}`,
      `/operator/categories/${category.id}/retire`,
      '/operator/postcards',
      '/operator/mailers',
      `/operator/mailers/${mailer.id}`,
      '/operator/imports',
      '/operator/addresses',
      '/operator/addresses?address=45+Maple+Ave+Apt+3B%2C+Boston%2C+MA+02134',
      '/operator/operators',
      '/operator/audit',
      '/operator/password',
    ];
    const problems: Record<string, unknown> = {};
    const check = async (what: string) => {
      const violations = await accessibilityViolations(withScripts);
      if (violations.length) problems[what] = violations;
      const overflow = await horizontalOverflow(withScripts);
      if (overflow > 0) problems[`${what} overflow`] = overflow;
    };
    for (const viewport of [PHONE, DESKTOP]) {
      await withScripts.setViewportSize(viewport);
      for (const path of paths) {
        const response = await withScripts.goto(`${server.url}${path}`);
        expect(response?.status()).toBe(200);
        await check(`${path} at ${viewport.width}`);
        if (viewport === DESKTOP) {
          // The title on one line, the navigation on one row.
          const title = await withScripts.locator('.usa-logo__text').boundingBox();
          const tops = await withScripts.locator('.usa-nav__primary-item').evaluateAll((items) => [...new Set(items.map((item) => Math.round(item.getBoundingClientRect().top)))]);
          if (title!.height > 40 || tops.length !== 1) problems[`${path} header`] = { titleHeight: title!.height, navRows: tops.length };
        }
      }
      // The schedule form with every problem shown.
      await withScripts.goto(`${server.url}/operator/schedules/new`);
      await withScripts.fill('#name', 'Bad Name');
      await withScripts.fill('#pattern', '61 * *');
      await withScripts.click('button:has-text("Save schedule")');
      await expect(withScripts.locator('.usa-error-message').count()).resolves.toBe(2);
      await check(`schedule form errors at ${viewport.width}`);
      // Every other console form sent empty: each problem in the summary and at its field.
      for (const [path, button, problems] of [
        ['/operator/password', 'Save password', 2],
        ['/operator/mailers', 'Create mailer and its first API key', 1],
        ['/operator/categories', 'Add category', 2],
        ['/operator/operators', 'Add operator', 1],
      ] as const) {
        await withScripts.goto(`${server.url}${path}`);
        await withScripts.click(`button:has-text("${button}")`);
        await expect(withScripts.locator('.usa-error-message').count()).resolves.toBe(problems);
        await expect(withScripts.locator('.usa-alert--error li a').count()).resolves.toBe(problems);
        await check(`${path} form errors at ${viewport.width}`);
      }
    }
    const anonymous = await browser.newPage();
    for (const viewport of [PHONE, DESKTOP]) {
      await anonymous.setViewportSize(viewport);
      await anonymous.goto(`${server.url}/operator/sign-in`);
      const signIn = await accessibilityViolations(anonymous);
      if (signIn.length) problems[`/operator/sign-in at ${viewport.width}`] = signIn;
      await anonymous.click('button:has-text("Sign in")');
      await expect(anonymous.locator('.usa-alert--error li a').allTextContents()).resolves.toEqual(['Enter your email address', 'Enter your password']);
      const refused = await accessibilityViolations(anonymous);
      if (refused.length) problems[`/operator/sign-in refused at ${viewport.width}`] = refused;
    }
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

  it('serves Bull Board behind the same sign-in, with a link back to the console and nothing from outside', async () => {
    const context = await browser.newContext({ storageState: await noScript.storageState() });
    const board = await context.newPage();
    const outside: string[] = [];
    board.on('request', (request) => {
      if (!request.url().startsWith(server.url)) outside.push(request.url());
    });
    const response = await board.goto(`${server.url}/operator/queues`);
    expect(response?.status()).toBe(200);
    await board.waitForSelector('text=statistics', { timeout: 15_000 });
    await board.waitForLoadState('networkidle');
    expect(outside).toEqual([]);
    expect(await board.content()).toContain('"url":"/operator"');
    // Bull Board is third-party: its axe findings are not ours to fix, but each is listed in
    // docs/operators.md, so a new one shows up here.
    const listed = /<!-- bull-board-axe: ([a-z0-9, -]+) -->/.exec(fs.readFileSync(projectPath('docs/operators.md'), 'utf8'))?.[1]?.split(/,\s*/) ?? [];
    const found = [...new Set((await accessibilityViolations(board)).map((violation) => `${violation.id} (${violation.impact})`))];
    expect(found.filter((finding) => !listed.includes(finding.replace(/ \(.*/, '')))).toEqual([]);
    const anonymous = await browser.newPage();
    await anonymous.goto(`${server.url}/operator/queues`);
    expect(new URL(anonymous.url()).pathname).toBe('/operator/sign-in');
    await anonymous.close();
    await context.close();
  });
});
