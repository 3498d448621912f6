import type { Browser } from 'playwright-core';
import { createApp } from '../../src/main';
import { launchBrowser, serve, seriousAccessibilityViolations } from '../support/browser';
import { createTestRoot, type TestRoot } from '../support/test-root';

describe('categories page in a real browser', () => {
  let root: TestRoot;
  let browser: Browser;
  let server: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    root = await createTestRoot();
    server = await serve(createApp(root));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await root?.cleanup();
  });

  it('shows every active category, styled, without JavaScript, with no serious accessibility problem', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const response = await page.goto(`${server.url}/categories`);
    expect(response?.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toBe('Categories of advertising mail');
    const names = await page.locator('.mp-category-list dt').allTextContents();
    expect(names).toEqual([
      'Catalogs',
      'Credit and insurance offers',
      'Coupons and retail advertising',
      'Magazine and subscription offers',
      'Charity and non-profit appeals',
      'Political mail',
      'Other advertising',
    ]);
    // The USWDS stylesheet really applied: its skip link is moved off-screen until focused.
    const skipLink = await page.locator('.usa-skipnav').evaluate((link) => getComputedStyle(link).position);
    expect(skipLink).toBe('absolute');
    await context.close();

    const jsPage = await browser.newPage();
    await jsPage.goto(`${server.url}/categories`);
    expect(await seriousAccessibilityViolations(jsPage)).toEqual([]);
    await jsPage.close();
  });
});
