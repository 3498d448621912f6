import type { Request, RequestHandler, Response } from 'express';
import { sessionCsrf } from '../lib/session-csrf';
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
  /** The upload form's CSRF check, with its `_csrf` field (sent ahead of the file). */
  checkFormToken(req: Request, token: string | undefined): void;
}

/** The portal's upload form: multipart, its CSRF token a field ahead of the file (never in the URL). */
export const UPLOAD_PATH = '/mailer/lists';

/**
 * The portal signs in with an API key and then holds a server-side session (mailer_sessions);
 * cookies and CSRF are set up like the operator console's (src/lib/session-csrf.ts).
 */
export function mailerPortalAuth(options: { mailers: MailersService; secure: boolean; csrfKey: Buffer }): MailerPortalAuth {
  const session = sessionCsrf({
    cookieName: 'mailpref_mailer',
    secure: options.secure,
    csrfKey: options.csrfKey,
    maxAgeSeconds: MAILER_SESSION_HOURS * 3600,
    multipartPaths: [UPLOAD_PATH],
  });

  const loadMailer: RequestHandler = (req, _res, next) => {
    options.mailers.sessionIdentity(session.sessionToken(req)).then((identity) => {
      if (identity) {
        req.mailerSession = identity;
        setMailer(req, identity);
      }
      next();
    }, next);
  };

  return {
    session: [...session.handlers, loadMailer],
    requireMailer: (req, res, next) => {
      if (!req.mailerSession) return res.redirect(303, '/mailer');
      next();
    },
    setSessionCookie: session.setSessionCookie,
    clearSessionCookie: session.clearSessionCookie,
    sessionToken: session.sessionToken,
    checkFormToken: session.checkFormToken,
  };
}
