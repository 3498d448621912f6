import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { sessionCsrf } from '../lib/session-csrf';
import { ForbiddenError, UnauthorizedError } from '../lib/errors';
import type { Operator, OperatorsService } from './operators-service';
import { SESSION_IDLE_SECONDS } from './operators-service';
import type { Actor } from '../audit/audit-service';
import { CONSOLE_UPLOAD_PATHS } from './upload-form';

declare module 'express-serve-static-core' {
  interface Request {
    operator?: Operator;
    operatorToken?: string;
  }
}

export function actorOf(req: Request): Actor {
  return { operatorId: req.operator!.id, label: req.operator!.email };
}

export interface OperatorAuth {
  /** cookie parsing, the session's operator (if any) and CSRF checks on every non-GET request. */
  session: RequestHandler[];
  /** Lets only a signed-in operator through: pages redirect to the sign-in page, the API answers 401. */
  requireOperator: RequestHandler;
  setSessionCookie(res: Response, token: string): void;
  clearSessionCookie(res: Response): void;
  /** The upload forms' CSRF check, with their `_csrf` field (sent ahead of the file). */
  checkFormToken(req: Request, token: string | undefined): void;
}

/**
 * Operators sign in with a session cookie (server-side session in operator_sessions); cookies and
 * CSRF are set up like the mailer portal's (src/lib/session-csrf.ts).
 */
export function operatorAuth(options: { operators: OperatorsService; secure: boolean; csrfKey: Buffer }): OperatorAuth {
  const { operators } = options;
  const session = sessionCsrf({
    cookieName: 'mailpref_operator',
    secure: options.secure,
    csrfKey: options.csrfKey,
    maxAgeSeconds: SESSION_IDLE_SECONDS,
    multipartPaths: CONSOLE_UPLOAD_PATHS,
    // Bull Board's own UI calls its API with fetch (JSON, PUT/POST) and cannot send our token.
    // Those calls are protected by the session cookie being SameSite=Lax (another site's request
    // does not carry it); what an HTML form on another site could send is still checked.
    skipCsrf: (req) =>
      req.originalUrl.startsWith('/operator/queues/api/') && !req.is('application/x-www-form-urlencoded') && !req.is('multipart/form-data') && !req.is('text/plain'),
  });

  // Mailer API keys are for /api/v1 mailer endpoints only; an operator path never accepts one.
  const refuseApiKeys: RequestHandler = (req, _res, next) => {
    if (req.headers.authorization || req.headers['x-api-key']) {
      return next(new ForbiddenError('API keys cannot be used for the operator console or the operator API', 'OPERATOR_ONLY'));
    }
    next();
  };

  const loadOperator: RequestHandler = (req, _res, next) => {
    const token = session.sessionToken(req);
    if (!token) return next();
    operators.sessionOperator(token).then((operator) => {
      if (operator) {
        req.operator = operator;
        req.operatorToken = token;
      }
      next();
    }, next);
  };

  const requireOperator: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    if (!req.operator) {
      if (req.originalUrl.startsWith('/api/')) return next(new UnauthorizedError('Sign in to the operator console first', 'SIGN_IN_REQUIRED'));
      const target = req.method === 'GET' ? req.originalUrl : '/operator';
      return res.redirect(303, `/operator/sign-in?next=${encodeURIComponent(target)}`);
    }
    const path = req.originalUrl.split('?')[0]!;
    const allowedBeforeChange = ['/operator/password', '/operator/sign-out'];
    if (req.operator.mustChangePassword && !allowedBeforeChange.includes(path) && !path.startsWith('/api/')) {
      return res.redirect(303, '/operator/password');
    }
    next();
  };

  return {
    session: [refuseApiKeys, ...session.handlers, loadOperator],
    requireOperator,
    setSessionCookie: session.setSessionCookie,
    clearSessionCookie: session.clearSessionCookie,
    checkFormToken: session.checkFormToken,
  };
}

/** Only a path inside the console may be a post-sign-in destination (no open redirect). */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/operator(\/|$|\?)/.test(value) && !value.startsWith('//') ? value : '/operator';
}
