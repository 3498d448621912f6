import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createApp } from '../../src/root';
import { householdWithCode } from '../support/choices-fixtures';
import { launchBrowser, serve } from '../support/browser';
import { createTestRoot, type TestRoot } from '../support/test-root';

describe('the household web form in a real browser', () => {
  let root: TestRoot;
  let browser: Browser;
  let server: { url: string; close: () => Promise<void> };
  const contexts: BrowserContext[] = [];

  // A real browser on a shared 2-core machine: generous per-test time.
  jest.setTimeout(60_000);

  beforeAll(async () => {
    root = await createTestRoot({ FORM_FAILED_ATTEMPTS_PER_CODE: '3', FORM_ATTEMPTS_PER_IP: '200' });
    server = await serve(createApp(root));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
    await root?.cleanup();
  });

  async function newPage(options: { javaScriptEnabled?: boolean; locale?: string; phone?: boolean } = {}): Promise<{ page: Page; urls: string[] }> {
    const context = await browser.newContext({
      javaScriptEnabled: options.javaScriptEnabled ?? true,
      locale: options.locale ?? 'en-US',
      ...(options.phone ? { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true } : {}),
    });
    contexts.push(context);
    const page = await context.newPage();
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));
    return { page, urls };
  }

  async function enterCode(page: Page, code: string, zip: string): Promise<void> {
    await page.goto(`${server.url}/code`);
    await page.fill('#code', code);
    await page.fill('#zip', zip);
    await page.locator('form[action="/code"] button[type=submit]').click();
    await page.waitForLoadState('domcontentloaded');
  }

  async function tickedSlugs(page: Page): Promise<string[]> {
    return page.locator('input[name=accept]:checked').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
  }

  it('lets a household enter its code, untick two kinds, check and confirm, then come back and see them', async () => {
    const household = await householdWithCode(root, { address1: '45 Maple Avenue', address2: 'Apt 3B', zip: '02134' });
    const { page, urls } = await newPage();
    await page.goto(`${server.url}/`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Choose which advertising mail comes to your address');
    await page.getByRole('link', { name: 'Start now' }).click();
    // Typed as people do: lower case, a space instead of the dash.
    await page.fill('#code', household.code.toLowerCase().replace('-', ' '));
    await page.fill('#zip', '02134');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${server.url}/choices`);
    await expect(page.locator('.mp-address').textContent()).resolves.toContain('45 MAPLE');
    await expect(page.locator('.mp-summary').textContent()).resolves.toContain('Never changed');
    expect(await tickedSlugs(page)).toHaveLength(7);

    await page.locator('label[for=accept-catalogs]').click();
    await page.locator('label[for=accept-political]').click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Check your answers');
    const row = (name: string) => page.locator('.mp-summary-list__row', { hasText: name }).locator('dd');
    await expect(row('Catalogs').textContent()).resolves.toBe('Stopped');
    await expect(row('Political mail').textContent()).resolves.toBe('Stopped');
    await expect(row('Coupons').textContent()).resolves.toBe('Delivered');
    await page.getByRole('button', { name: 'Confirm my choices' }).click();
    await page.waitForURL(`${server.url}/confirmation`);
    const reference = (await page.locator('.mp-reference').textContent())!;
    expect(reference).toMatch(/^MP-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    // What happens next, honestly: lists cleansed before today may be mailed until they expire (31 days).
    const next = await page.locator('.mp-next').innerText();
    expect(next).toContain('Every mailing list cleaned from now on follows your choices');
    const until = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(Date.now() + 31 * 86_400_000));
    expect(next).toContain(`may still arrive until ${until}`);

    // Post/Redirect/Get: Back goes to pages that load again (no "confirm form resubmission", no ERR_CACHE_MISS).
    const back = await page.goBack();
    expect(back?.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toBe('Your choices');
    expect(await tickedSlugs(page)).toHaveLength(5);

    const history = await root.services.choices.history(household.deliveryPointId);
    expect(history.filter((event) => event.source === 'web').map((event) => [event.slug, event.accepted, event.reference])).toEqual(
      expect.arrayContaining([
        ['catalogs', false, reference],
        ['political', false, reference],
        ['other', true, reference],
      ]),
    );
    // The code never travels in a URL.
    const compact = household.code.replace('-', '');
    expect(urls.filter((url) => url.toUpperCase().replace(/[-+%20 ]/g, '').includes(compact))).toEqual([]);

    // Coming back later, in a new browser session, with the same code.
    const later = await newPage();
    await enterCode(later.page, household.code, '02134');
    expect(await tickedSlugs(later.page)).toEqual(['credit-insurance-offers', 'coupons-retail', 'magazines-subscriptions', 'charity-nonprofit', 'other']);
    await expect(later.page.locator('.mp-summary').textContent()).resolves.toMatch(/Last changed\s*\w+ \d+, \d{4}/);
  });

  it('works in Spanish, switched by a link and remembered', async () => {
    const household = await householdWithCode(root, { address1: '7 Beacon Street', zip: '02446' });
    const { page } = await newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Español' }).click();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');
    await expect(page.locator('h1').textContent()).resolves.toBe('Elija qué correo publicitario llega a su dirección');
    await page.getByRole('link', { name: 'Empezar' }).click();
    await expect(page.locator('label[for=code]').textContent()).resolves.toBe('Código de su tarjeta');
    await page.fill('#code', household.code);
    await page.fill('#zip', '02446');
    await page.getByRole('button', { name: 'Continuar' }).click();
    await page.waitForURL(`${server.url}/choices`);
    await expect(page.locator('label[for=accept-catalogs]').textContent()).resolves.toContain('Catálogos');
    await page.getByRole('button', { name: 'Continuar' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Revise sus respuestas');
    await page.getByRole('button', { name: 'Confirmar mis elecciones' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Sus elecciones están guardadas');
    await page.getByRole('link', { name: 'English' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Your choices are saved');
  });

  it('gives a wrong code and a ZIP that does not match one message (a live code is not told from a dead one), with an error summary and a message at the field', async () => {
    const household = await householdWithCode(root, { address1: '3 Pleasant St', zip: '02139' });
    const { page } = await newPage();
    await enterCode(page, 'ZZZZZ-ZZZZZ', '02139');
    expect(await page.title()).toMatch(/^Error: Enter your code/);
    const unknown = await page.locator('#code-error').textContent();
    expect(unknown).toContain('The code and ZIP code do not match a card we mailed');
    await expect(page.locator('.usa-alert--error a[href="#code"]').textContent()).resolves.toContain('do not match a card we mailed');
    await expect(page.locator('#code').getAttribute('aria-invalid')).resolves.toBe('true');

    await enterCode(page, household.code, '02138');
    await expect(page.locator('#code-error').textContent()).resolves.toBe(unknown);
    await expect(page.locator('.usa-alert--error a').count()).resolves.toBe(1);

    await enterCode(page, 'K7QMX-4RTP0', '');
    await expect(page.locator('#code-error').textContent()).resolves.toContain('exactly as printed');
    await expect(page.locator('#zip-error').textContent()).resolves.toContain('5-digit ZIP code');
    await expect(page.locator('.usa-alert--error li').count()).resolves.toBe(2);
  });

  it('stops guessing with a clear "too many attempts" page', async () => {
    const household = await householdWithCode(root, { address1: '18 Oak Road', zip: '02458' });
    const { page } = await newPage();
    const firstFailure = Date.now();
    for (const zip of ['02451', '02452', '02453']) {
      await enterCode(page, household.code, zip);
      await expect(page.locator('#code-error').textContent()).resolves.toContain('do not match a card we mailed');
    }
    // Even the right ZIP is refused now: the code is locked for the window. (Over a second after
    // the last failure — whichever failure began the limiter's window, on a slow machine the third
    // comes a second or more after the first — so the real wait is below the window's 900 s even
    // when rounded up.)
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await page.goto(`${server.url}/code`);
    await page.fill('#code', household.code);
    await page.fill('#zip', '02458');
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/code') && r.request().method() === 'POST'), page.getByRole('button', { name: 'Continue' }).click()]);
    expect(response.status()).toBe(429);
    await expect(page.locator('h1').textContent()).resolves.toBe('Too many attempts');
    // The real wait, from the limiter's window for this code (15 minutes, begun with the first failure).
    const wait = Number(response.headers()['retry-after']);
    expect(wait).toBeLessThan(15 * 60);
    expect(wait).toBeGreaterThanOrEqual(15 * 60 - Math.ceil((Date.now() - firstFailure) / 1000));
    await expect(page.locator('.mp-wait').textContent()).resolves.toBe(`You can try again in about ${Math.ceil(wait / 60)} minutes.`);
  });

  it('answers a lost-card request with the same neutral message whether or not the address is known, and queues it', async () => {
    await householdWithCode(root, { address1: '64 Washington Boulevard', zip: '02169' });
    const before = await root.services.postcardRequests.pending();
    const answers: string[] = [];
    for (const address1 of ['64 Washington Boulevard', '999 Nowhere Known Rd']) {
      const { page } = await newPage();
      await page.goto(`${server.url}/`);
      await page.getByRole('link', { name: /didn.t get a card/ }).click();
      await page.fill('#address1', address1);
      await page.fill('#zip', '02169');
      await page.getByRole('button', { name: 'Ask for a card' }).click();
      await page.waitForURL(`${server.url}/lost-card/sent`);
      answers.push((await page.locator('main').innerText()).trim());
    }
    expect(answers[0]).toContain('If we serve this address, a card with a new code will be mailed');
    expect(answers[1]).toBe(answers[0]);
    expect(await root.services.postcardRequests.pending()).toBe(before + 2);

    const { page } = await newPage();
    await page.goto(`${server.url}/lost-card`);
    await page.fill('#address1', 'Washington Boulevard');
    await page.getByRole('button', { name: 'Ask for a card' }).click();
    // Every problem at once: in the summary, each linking to its field, and at the field.
    await expect(page.locator('#address1-error').textContent()).resolves.toContain('starting with the house number');
    await expect(page.locator('#zip-error').textContent()).resolves.toContain('Enter the ZIP code, or the city and state');
    expect(await page.locator('.usa-alert--error li a').evaluateAll((links) => links.map((link) => link.getAttribute('href')))).toEqual(['#address1', '#zip']);
    await page.locator('.usa-alert--error a[href="#zip"]').click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('zip');
  });

  it('accepts or refuses every kind at once, then checks before saving', async () => {
    const household = await householdWithCode(root, { address1: '12 Shortcut Lane', zip: '02134' });
    const { page } = await newPage({ javaScriptEnabled: false });
    await enterCode(page, household.code, '02134');
    await page.getByRole('button', { name: 'Refuse all advertising mail' }).click();
    await page.waitForURL(`${server.url}/check`);
    expect(await page.locator('.mp-summary-list dd').allTextContents()).toEqual(Array(7).fill('Stopped'));
    await page.getByRole('link', { name: 'Change your answers' }).click();
    expect(await tickedSlugs(page)).toEqual([]);
    await page.getByRole('button', { name: 'Accept all advertising mail' }).click();
    expect(await page.locator('.mp-summary-list dd').allTextContents()).toEqual(Array(7).fill('Delivered'));
  });

  it('works from start to confirmation with JavaScript turned off, on a phone-sized screen', async () => {
    const household = await householdWithCode(root, { address1: '901 Commonwealth Ave', address2: '#12C', zip: '02215' });
    const { page } = await newPage({ javaScriptEnabled: false, phone: true });
    await enterCode(page, household.code, '02215');
    expect(page.url()).toBe(`${server.url}/choices`);
    // Nothing wider than the phone's screen: no sideways scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.locator('label[for=accept-other]').click();
    await page.locator('#choices-form button[type=submit]').click();
    await page.locator('form[action="/confirm"] button[type=submit]').click();
    expect(page.url()).toBe(`${server.url}/confirmation`);
    await expect(page.locator('.mp-current').textContent()).resolves.toContain('Other advertising: Stopped');
    const view = await root.services.choices.view(household.deliveryPointId);
    expect(view.choices.find((choice) => choice.slug === 'other')!.accepted).toBe(false);
    // Finish and sign out: the session is gone.
    await page.locator('form[action="/sign-out"] button[type=submit]').click();
    await page.goto(`${server.url}/choices`);
    expect(page.url()).toBe(`${server.url}/code?ended=1`);
  });

});
