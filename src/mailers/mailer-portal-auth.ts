import cookieParser from 'cookie-parser';
import { doubleCsrf } from 'csrf-csrf';
import { oneCsrfTokenPerRequest } from '../lib/one-csrf-token';
import type { Request, RequestHandler, Response } from 'express';
import { setMailer } from './api-key-auth';
import { MAILER_SESSION_HOURS, type MailerIdentity, type MailersService } from './mailers-service';

declare module 'express-serve-static-core' {
  interface Request {
    mailerSession?: MailerIdentity;
  }
}

export interface MailerPortalAuth {
  /** Cookies, the session's mailer (if any), and CSRF checks on every POST. */
  session: RequestHandler[];
  /** Pages behind sign-in redirect to it. */
  requireMailer: RequestHandler;
  setSessionCookie(res: Response, token: string): void;
  clearSessionCookie(res: Response): void;
  sessionToken(req: Request): string | undefined;
}

/**
 * The portal signs in with an API key and then holds a server-side session (mailer_sessions);
 * CSRF uses csrf-csrf's double-submit cookie bound to the session cookie, as the operator console
 * does. Multipart forms carry the token in the action's query string (checked before the body is read).
 */
export function mailerPortalAuth(options: { mailers: MailersService; secure: boolean; csrfKey: Buffer }): MailerPortalAuth {
  const sessionCookie = options.secure ? '__Host-mailpref_mailer' : 'mailpref_mailer';
  const csrfCookie = options.secure ? '__Host-mailpref_mailer_csrf' : 'mailpref_mailer_csrf';
  const secret = options.csrfKey.toString('hex');
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, secure: options.secure, path: '/' };
  const { doubleCsrfProtection } = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req) => (req.cookies?.[sessionCookie] as string | undefined) ?? '',
    cookieName: csrfCookie,
    cookieOptions,
    getCsrfTokenFromRequest: (req) => (req.body as Record<string, string> | undefined)?._csrf ?? (req.query._csrf as string | undefined),
  });

  const loadMailer: RequestHandler = (req, _res, next) => {
    options.mailers.sessionIdentity(req.cookies?.[sessionCookie] as string | undefined).then((identity) => {
      if (identity) {
        req.mailerSession = identity;
        setMailer(req, identity);
      }
      next();
    }, next);
  };


  return {
    session: [cookieParser(), loadMailer, doubleCsrfProtection, oneCsrfTokenPerRequest],
    requireMailer: (req, res, next) => {
      if (!req.mailerSession) return res.redirect(303, '/mailer');
      next();
    },
    setSessionCookie(res, token) {
      res.cookie(sessionCookie, token, { ...cookieOptions, maxAge: MAILER_SESSION_HOURS * 3600_000 });
    },
    clearSessionCookie(res) {
      res.clearCookie(sessionCookie, cookieOptions);
    },
    sessionToken: (req) => req.cookies?.[sessionCookie] as string | undefined,
  };
}
