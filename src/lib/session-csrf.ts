import cookieParser from 'cookie-parser';
import { doubleCsrf } from 'csrf-csrf';
import type { CookieOptions, Request, RequestHandler, Response } from 'express';

export interface SessionCsrfOptions {
  /** Base name of the session cookie; the CSRF cookie is `<name>_csrf`. */
  cookieName: string;
  /** Secure cookies with the __Host- prefix, which also pins them to this host and path /. */
  secure: boolean;
  csrfKey: Buffer;
  /** How long the browser keeps the session cookie (the server-side session decides what is live). */
  maxAgeSeconds: number;
  /** Requests that need no token (e.g. a same-site JSON client that cannot send one). */
  skipCsrf?: (req: Request) => boolean;
  /**
   * Paths of multipart forms whose token comes as a form field ahead of the file: their check is
   * left to the route, which reads the body and calls checkFormToken before it stores the file.
   */
  multipartPaths?: string[];
}

export interface SessionCsrf {
  /** cookie-parser, then the CSRF check of every non-GET request, then one token per request. */
  handlers: RequestHandler[];
  sessionToken(req: Request): string | undefined;
  setSessionCookie(res: Response, token: string): void;
  clearSessionCookie(res: Response): void;
  /** The CSRF check of a multipartPaths request, with the `_csrf` field read from its body. */
  checkFormToken(req: Request, token: string | undefined): void;
}

const FIELD_TOKEN = Symbol('csrf form field');

/**
 * A signed-in surface (operator console, mailer portal): a server-side session held in an
 * HttpOnly cookie, and csrf-csrf's double-submit tokens bound to that cookie, so a token minted
 * before sign-in stops working after it. The token comes as the `_csrf` form field or as an
 * X-CSRF-Token header (never a query string); a multipart form (whose body the check cannot read) on one of
 * `multipartPaths` sends its field first and its route checks it (checkFormToken), so no token is
 * ever in a URL, where it would stay in the address bar, the history and logs.
 * The household form binds its tokens to a visitor id instead (src/choices/form-security.ts).
 */
export function sessionCsrf(options: SessionCsrfOptions): SessionCsrf {
  const name = (base: string) => (options.secure ? `__Host-${base}` : base);
  const sessionCookie = name(options.cookieName);
  const cookieOptions: CookieOptions = { httpOnly: true, sameSite: 'lax', secure: options.secure, path: '/' };
  const secret = options.csrfKey.toString('hex');
  const sessionToken = (req: Request) => {
    const token = req.cookies?.[sessionCookie];
    return typeof token === 'string' ? token : undefined;
  };
  const multipartPaths = new Set(options.multipartPaths ?? []);
  const checkedByRoute = (req: Request) => req.method === 'POST' && multipartPaths.has(req.baseUrl + req.path) && Boolean(req.is('multipart/form-data'));
  const { doubleCsrfProtection, validateRequest, invalidCsrfTokenError } = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req) => sessionToken(req) ?? '',
    cookieName: name(`${options.cookieName}_csrf`),
    cookieOptions,
    skipCsrfProtection: (req) => checkedByRoute(req) || (options.skipCsrf?.(req) ?? false),
    getCsrfTokenFromRequest: (req) =>
      (req as unknown as Record<symbol, string | undefined>)[FIELD_TOKEN] ??
      (req.body as Record<string, string> | undefined)?._csrf ??
      req.headers['x-csrf-token'],
  });

  return {
    handlers: [cookieParser(), doubleCsrfProtection, oneCsrfTokenPerRequest],
    checkFormToken: (req, token) => {
      (req as unknown as Record<symbol, string | undefined>)[FIELD_TOKEN] = token ?? '';
      if (!validateRequest(req)) throw invalidCsrfTokenError;
    },
    sessionToken,
    setSessionCookie: (res, token) => res.cookie(sessionCookie, token, { ...cookieOptions, maxAge: options.maxAgeSeconds * 1000 }),
    clearSessionCookie: (res) => res.clearCookie(sessionCookie, cookieOptions),
  };
}

/**
 * csrf-csrf mints a new token (and cookie) on each call while the request's cookie is stale, so
 * a page with several forms would end up with tokens that do not match the last cookie set:
 * this makes every call within one request return the same token.
 */
const oneCsrfTokenPerRequest: RequestHandler = (req, _res, next) => {
  const mint = req.csrfToken!;
  let token: string | undefined;
  req.csrfToken = (options) => (token ??= mint(options));
  next();
};
