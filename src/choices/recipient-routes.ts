import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { BadRequestError } from '../lib/errors';
import { isLang, messages, type Lang } from '../web/translations';
import { isZipFormat, type AccessCodesService, type CodeCheck } from './access-codes-service';
import { CodeNoLongerLiveError, type ChoicesService } from './choices-service';
import type { FormSecurity } from './form-security';
import type { PostcardRequestService } from './postcard-request-service';
import type { RecipientSession } from './recipient-sessions-store';
import type { RecipientSessionService } from './recipient-session-service';
import type { FieldError, PageContext } from './recipient-page-parts';
import type { CategoriesService } from '../categories/categories-service';
import { checkPage, choicesPage, codePage, confirmationPage } from './recipient-pages';
import { accessibilityPage, categoriesPage, contactPage, errorPage, privacyPage, startPage } from './recipient-info-pages';
import { formExpiredPage, lostCardDonePage, lostCardPage, tooManyAttemptsPage } from './recipient-other-pages';

export interface RecipientRouteDeps {
  choices: ChoicesService;
  accessCodes: AccessCodesService;
  recipientSessions: RecipientSessionService;
  postcardRequests: PostcardRequestService;
  categories: CategoriesService;
  security: FormSecurity;
  secureCookies: boolean;
  /** How long a cleansed list may be mailed: the confirmation says until when stopped mail may still come. */
  freshnessDays: number;
  contactEmail: string | undefined;
}

const LANG_COOKIE = 'mp_lang';

/** Resolves the page language: ?lang= (remembered in a cookie), then the cookie, then the browser. */
export function languageOf(req: Request, res: Response, secure: boolean): Lang {
  const asked = req.query.lang;
  if (isLang(asked)) {
    res.cookie(LANG_COOKIE, asked, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: 365 * 24 * 3600 * 1000 });
    return asked;
  }
  // Pages outside the form's paths (a 404) have not been through cookie-parser.
  const remembered = req.cookies?.[LANG_COOKIE] ?? /(?:^|;\s*)mp_lang=(en|es)(?:;|$)/.exec(req.headers.cookie ?? '')?.[1];
  if (isLang(remembered)) return remembered;
  return req.acceptsLanguages('en', 'es') === 'es' ? 'es' : 'en';
}

function list(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 200) : '';
}

const CODE_MESSAGES: Record<Extract<CodeCheck, { ok: false }>['reason'], keyof ReturnType<typeof messages>> = {
  CODE_EMPTY: 'errCodeEmpty',
  CODE_FORMAT: 'errCodeFormat',
  ZIP_FORMAT: 'errZipFormat',
  NO_SUCH_CARD: 'errNoSuchCard',
  EXPIRED_CODE: 'errExpiredCode',
  REPLACED_CODE: 'errReplacedCode',
};

type SessionRequest = Request & { recipient?: RecipientSession; recipientToken?: string };

/** The household pages: start, privacy, code entry, choices, check, confirmation, lost card. */
export function recipientRoutes(deps: RecipientRouteDeps): Router {
  const { security } = deps;
  const router = Router();
  const ctx = (req: Request, res: Response, withCsrf = true): PageContext => {
    const lang = languageOf(req, res, deps.secureCookies);
    return { lang, t: messages(lang), path: req.path, csrf: withCsrf ? security.csrfToken(req, res) : undefined };
  };
  const pages = new Set(['/', '/categories', '/privacy', '/accessibility', '/contact', '/code', '/choices', '/check', '/confirm', '/confirmation', '/sign-out', '/lost-card', '/lost-card/sent']);
  router.use((req, res, next) => {
    if (!pages.has(req.path)) return next();
    // Choices and codes are personal: never kept by a browser cache or a proxy.
    res.set('Cache-Control', 'no-store');
    security.cookies(req, res, next);
  });
  const form = [express.urlencoded({ extended: false, limit: '10kb', parameterLimit: 100 }), security.csrfProtection];

  const sessionRequired =
    (options: { codeCheckedByWriter?: boolean } = {}): RequestHandler =>
    async (req, res, next) => {
      const token = security.sessionToken(req);
      const session = await deps.recipientSessions.find(token, options);
      if (!session) {
        res.redirect(303, '/code?ended=1');
        return;
      }
      Object.assign(req as SessionRequest, { recipient: session, recipientToken: token });
      next();
    };
  const requireSession = sessionRequired();
  const session = (req: Request) => (req as SessionRequest).recipient!;

  router.get('/', async (req, res) => void res.send(startPage(ctx(req, res, false), await deps.categories.listActive(), deps.freshnessDays)));
  router.get('/categories', async (req, res) => void res.send(categoriesPage(ctx(req, res, false), await deps.categories.listActive())));
  router.get('/privacy', (req, res) => void res.send(privacyPage(ctx(req, res, false))));
  router.get('/accessibility', (req, res) => void res.send(accessibilityPage(ctx(req, res, false))));
  router.get('/contact', (req, res) => void res.send(contactPage(ctx(req, res, false), deps.contactEmail)));

  router.get('/code', (req, res) => {
    const page = ctx(req, res);
    res.send(codePage(page, {}, [], req.query.ended ? page.t.sessionEnded : undefined));
  });
  router.post('/code', express.urlencoded({ extended: false, limit: '10kb', parameterLimit: 100 }), security.perIp, security.csrfProtection, security.perCode, security.allFailures, async (req, res) => {
    const values = { code: text(req.body?.code), zip: text(req.body?.zip) };
    const check = await deps.accessCodes.check(values.code, values.zip);
    if (!check.ok) {
      const page = ctx(req, res);
      const errors: FieldError[] = [{ field: check.field, message: page.t[CODE_MESSAGES[check.reason]] as string }];
      // A code that cannot be read is reported first; a bad ZIP beside it is reported too.
      if (check.field === 'code' && !isZipFormat(values.zip)) errors.push({ field: 'zip', message: page.t.errZipFormat });
      res.status(422).send(codePage(page, values, errors));
      return;
    }
    const opened = await deps.recipientSessions.open(check.accessCodeId, check.deliveryPointId);
    security.setSession(res, opened.token, opened.expiresAt);
    res.redirect(303, '/choices');
  });

  // Post/Redirect/Get: the answers wait in the session, and every page the browser's Back reaches is a GET.
  router.get('/choices', requireSession, async (req, res) => {
    const pending = session(req).pending;
    res.send(choicesPage(ctx(req, res), await deps.choices.view(session(req).deliveryPointId), pending ? new Set(pending.accepted) : undefined));
  });
  router.post('/choices', ...form, requireSession, async (req, res) => {
    const view = await deps.choices.view(session(req).deliveryPointId);
    const shown = view.choices.filter((choice) => choice.active).map((choice) => choice.slug);
    const all = req.body?.all;
    const accepted = all === 'accept' ? shown : all === 'refuse' ? [] : [...new Set(list(req.body?.accept))];
    const unknown = accepted.filter((slug) => !shown.includes(slug));
    if (unknown.length > 0) throw new BadRequestError(`Unknown category: ${unknown.join(', ')}`);
    await deps.recipientSessions.setPending((req as SessionRequest).recipientToken!, session(req), { shown, accepted });
    res.redirect(303, '/check');
  });
  router.get('/check', requireSession, async (req, res) => {
    const pending = session(req).pending;
    if (!pending) {
      res.redirect(303, '/choices');
      return;
    }
    const view = await deps.choices.view(session(req).deliveryPointId);
    const shown = view.choices.filter((choice) => choice.active && pending.shown.includes(choice.slug));
    res.send(checkPage(ctx(req, res), view.deliveryPoint, shown, new Set(pending.accepted)));
  });
  // The submission checks the code is still live in its own transaction, under the address's lock.
  router.post('/confirm', ...form, sessionRequired({ codeCheckedByWriter: true }), async (req, res) => {
    const recipient = session(req);
    // Only the categories the household saw on the check page are recorded.
    const pending = recipient.pending;
    if (!pending) {
      // Nothing to confirm (sent twice, or from an old page): back to the choices, or to the code if it no longer works.
      const live = await deps.recipientSessions.find((req as SessionRequest).recipientToken);
      res.redirect(303, live ? '/choices' : '/code?ended=1');
      return;
    }
    const accepted = new Set(pending.accepted);
    let recorded;
    try {
      recorded = await deps.choices.recordChoices({
        deliveryPointId: recipient.deliveryPointId,
        choices: Object.fromEntries(pending.shown.map((slug) => [slug, accepted.has(slug)])),
        source: 'web',
        actor: `code:${recipient.accessCodeId}`,
        activeOnly: true,
        whileCodeLive: recipient.accessCodeId,
      });
    } catch (error) {
      if (!(error instanceof CodeNoLongerLiveError)) throw error;
      res.redirect(303, '/code?ended=1');
      return;
    }
    await deps.recipientSessions.setLastReference((req as SessionRequest).recipientToken!, recipient, recorded.reference);
    res.redirect(303, recorded.changes.length > 0 ? '/confirmation' : '/confirmation?unchanged=1');
  });
  router.get('/confirmation', requireSession, async (req, res) => {
    const recipient = session(req);
    if (!recipient.lastReference) {
      res.redirect(303, '/choices');
      return;
    }
    const view = await deps.choices.view(recipient.deliveryPointId);
    res.send(confirmationPage(ctx(req, res), recipient.lastReference, view, !req.query.unchanged, deps.freshnessDays));
  });
  router.post('/sign-out', ...form, async (req, res) => {
    await deps.recipientSessions.end(security.sessionToken(req));
    security.clearSession(res);
    res.redirect(303, '/');
  });

  router.get('/lost-card', (req, res) => void res.send(lostCardPage(ctx(req, res), {}, [])));
  router.post('/lost-card', express.urlencoded({ extended: false, limit: '10kb', parameterLimit: 100 }), security.perIp, security.csrfProtection, async (req, res) => {
    const values = { address1: text(req.body?.address1), address2: text(req.body?.address2), city: text(req.body?.city), state: text(req.body?.state), zip: text(req.body?.zip) };
    const result = await deps.postcardRequests.request(values);
    if (!result.ok) {
      const page = ctx(req, res);
      const texts = { address1: page.t.errAddress1, zip: page.t.errLocality };
      const errors: FieldError[] = result.fields.map((field) => ({ field, message: texts[field] }));
      res.status(422).send(lostCardPage(page, values, errors));
      return;
    }
    res.redirect(303, '/lost-card/sent');
  });
  router.get('/lost-card/sent', (req, res) => void res.send(lostCardDonePage(ctx(req, res, false))));

  // A missing or stale CSRF token: a translated page instead of the generic error.
  const csrfErrors: ErrorRequestHandler = (error, req, res, next) => {
    if ((error as { code?: string })?.code !== 'EBADCSRFTOKEN') return next(error);
    res.status(403).send(formExpiredPage(ctx(req, res, false)));
  };
  router.use(csrfErrors);
  return router;
}

/** Errors of the household side (404 and the like) as a page in the visitor's language. */
export function householdErrorPage(secure: boolean) {
  return (req: Request, res: Response, status: number, message: string): string => {
    const lang = languageOf(req, res, secure);
    return errorPage({ lang, t: messages(lang), path: req.path }, status, message);
  };
}

/** The 429 page, in the visitor's language (used by the rate limiters). */
export function tooManyAttempts(secure: boolean) {
  return (req: Request, res: Response, retryAfterSeconds: number) => {
    const lang = languageOf(req, res, secure);
    res.status(429).set('Retry-After', String(retryAfterSeconds)).send(tooManyAttemptsPage({ lang, t: messages(lang), path: req.path }, retryAfterSeconds));
  };
}
