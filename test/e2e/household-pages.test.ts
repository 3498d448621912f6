import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createApp } from '../../src/root';
import { householdWithCode } from '../support/choices-fixtures';
import { accessibilityViolations, launchBrowser, serve, type AxeViolation } from '../support/browser';
import { createTestRoot, type TestRoot } from '../support/test-root';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

/**
 * Every household page, in English and Spanish, on a phone and a desktop: the site's navigation
 * and footer, the page's language, nothing wider than the screen, and no axe violation of any
 * impact (minor and moderate included).
 */
describe('every household page, in both languages, at phone and desktop width', () => {
  let root: TestRoot;
  let browser: Browser;
  let server: { url: string; close: () => Promise<void> };
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    root = await createTestRoot({ FORM_FAILED_ATTEMPTS_PER_CODE: '2', FORM_ATTEMPTS_PER_IP: '500' });
    server = await serve(createApp(root));
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
    await root?.cleanup();
  });

  async function newPage(viewport: { width: number; height: number }, lang: string): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: lang === 'es' ? 'es-US' : 'en-US', ...(viewport === PHONE ? { isMobile: true, hasTouch: true } : {}) });
    contexts.push(context);
    return context.newPage();
  }

  async function submit(page: Page, form: string): Promise<void> {
    await Promise.all([page.waitForLoadState('domcontentloaded'), page.locator(`${form} button[type=submit]`).first().click()]);
    await page.waitForLoadState('domcontentloaded');
  }

  async function check(page: Page, name: string, lang: string, width: number, problems: Record<string, unknown>): Promise<void> {
    const found: string[] = [];
    if ((await page.locator('html').getAttribute('lang')) !== lang) found.push('lang attribute');
    const nav = await page.locator('nav[aria-label=Primary] a.usa-nav-link').count();
    if (nav !== 3) found.push(`${nav} navigation links`);
    const footer = await page.locator('footer nav a').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    if (footer.join() !== '/contact,/accessibility,/privacy') found.push(`footer links ${footer.join()}`);
    if ((await page.locator('link[rel=icon]').count()) !== 1) found.push('no favicon');
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    if (scrollWidth > width) found.push(`${scrollWidth} px wide`);
    const violations: AxeViolation[] = await accessibilityViolations(page);
    if (violations.length > 0) found.push(...violations.map((violation) => `${violation.id} (${violation.impact})`));
    if (found.length > 0) problems[name] = found;
  }

  for (const lang of ['en', 'es']) {
    for (const [size, viewport] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const) {
      it(`${lang}, ${size}`, async () => {
        const problems: Record<string, unknown> = {};
        const page = await newPage(viewport, lang);
        const visit = async (path: string, name = path) => {
          await page.goto(`${server.url}${path}`);
          await check(page, name, lang, viewport.width, problems);
        };
        await visit(`/?lang=${lang}`, '/');
        for (const path of ['/categories', '/privacy', '/accessibility', '/contact', '/lost-card', '/code', '/no-such-page']) await visit(path);

        await page.goto(`${server.url}/lost-card`);
        await submit(page, 'form[action="/lost-card"]');
        await check(page, 'lost card with errors', lang, viewport.width, problems);
        await page.fill('#address1', '1 Any St');
        await page.fill('#zip', '02134');
        await submit(page, 'form[action="/lost-card"]');
        await check(page, 'lost card sent', lang, viewport.width, problems);

        await page.goto(`${server.url}/code`);
        await page.fill('#code', 'ZZZZZ-ZZZZ0');
        await submit(page, 'form[action="/code"]');
        await check(page, 'code with errors', lang, viewport.width, problems);

        await page.goto(`${server.url}/code`);
        await page.locator('input[name=_csrf]').evaluate((input) => ((input as HTMLInputElement).value = 'stale'));
        await submit(page, 'form[action="/code"]');
        await check(page, 'form expired', lang, viewport.width, problems);

        const household = await householdWithCode(root, { address1: `${lang === 'en' ? 10 : 11}${size === 'phone' ? 0 : 1} Sweep Street`, zip: '02134' });
        await page.goto(`${server.url}/code`);
        await page.fill('#code', household.code);
        await page.fill('#zip', '02134');
        await submit(page, 'form[action="/code"]');
        await check(page, 'choices', lang, viewport.width, problems);
        await page.locator('label[for=accept-political]').click();
        await submit(page, '#choices-form');
        await check(page, 'check answers', lang, viewport.width, problems);
        await submit(page, 'form[action="/confirm"]');
        await check(page, 'confirmation', lang, viewport.width, problems);

        // The code is locked after two failed attempts.
        for (let i = 0; i < 3; i++) {
          await page.goto(`${server.url}/code`);
          await page.fill('#code', household.code);
          await page.fill('#zip', '09999');
          await submit(page, 'form[action="/code"]');
        }
        await check(page, 'too many attempts', lang, viewport.width, problems);

        expect(problems).toEqual({});
      }, 300_000);
    }
  }

  it('shows categories in Spanish with the site navigation, and a 404 in the visitor\'s language', async () => {
    const page = await newPage(DESKTOP, 'es');
    await page.goto(`${server.url}/categories?lang=es`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Tipos de correo publicitario');
    await expect(page.locator('.mp-category-list dt').first().textContent()).resolves.toBe('Catálogos');
    await expect(page.locator('a.usa-current').textContent()).resolves.toBe('Categorías');
    const missing = await page.goto(`${server.url}/nada-aqui`);
    expect(missing?.status()).toBe(404);
    await expect(page.locator('h1').textContent()).resolves.toBe('No se encontró la página');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');
  });

  it('names only active categories, with their descriptions in both languages', async () => {
    await root.db.query(`INSERT INTO categories (slug, name, description, active) VALUES ('retired-travel', 'Travel offers', 'Cruises', false)`);
    const household = await householdWithCode(root, { address1: '77 Description Road', zip: '02134' });
    const page = await newPage(DESKTOP, 'en');
    await page.goto(`${server.url}/?lang=en`);
    const start = await page.locator('main').innerText();
    expect(start).toContain('catalogs, credit and insurance offers');
    expect(start).not.toContain('Travel');
    await page.goto(`${server.url}/categories`);
    expect(await page.locator('.mp-category-list dt').allTextContents()).not.toContain('Travel offers');
    await page.goto(`${server.url}/code`);
    await page.fill('#code', household.code);
    await page.fill('#zip', '02134');
    await submit(page, 'form[action="/code"]');
    const descriptions = await page.locator('.usa-checkbox__label-description').allTextContents();
    expect(descriptions).toHaveLength(7);
    expect(descriptions.every((text) => text.length > 10)).toBe(true);
  });

  it('draws the phone navigation\'s current-page marker under the link, not over its first letter', async () => {
    const page = await newPage(PHONE, 'en');
    await page.goto(`${server.url}/categories`);
    const { markerTop, textBottom } = await page.locator('a.usa-current').evaluate((link) => {
      const marker = getComputedStyle(link, '::after');
      const label = link.querySelector('span')!;
      return { markerTop: parseFloat(marker.top), textBottom: label.offsetTop + label.offsetHeight };
    });
    expect(markerTop).toBeGreaterThanOrEqual(textBottom);
  });

  it('fits the check-your-answers page to a phone: one short row per kind', async () => {
    const household = await householdWithCode(root, { address1: '5 Summary Street', zip: '02134' });
    const page = await newPage(PHONE, 'en');
    await page.goto(`${server.url}/code`);
    await page.fill('#code', household.code);
    await page.fill('#zip', '02134');
    await submit(page, 'form[action="/code"]');
    await submit(page, '#choices-form');
    const rows = await page.locator('.mp-summary-list__row').evaluateAll((items) => items.map((item) => item.getBoundingClientRect().height));
    expect(rows).toHaveLength(7);
    // A name and its answer: at most three lines of text each (the table took seven lines a row).
    expect(Math.max(...rows)).toBeLessThan(100);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  });
});
