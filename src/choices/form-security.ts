import { randomBytes } from 'node:crypto';
import cookieParser from 'cookie-parser';
import { doubleCsrf } from 'csrf-csrf';
import type { CookieOptions, Request, RequestHandler, Response } from 'express';
import { rateLimit, type RateLimitRequestHandler } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Config } from '../config';
import type { Redis } from '../lib/redis';
import { hmacHex } from '../lib/server-secret';
import { parseCode } from './access-code';

export interface FormSecurityOptions {
  /** Secure cookies (and the __Host- prefix): in production, or when PUBLIC_URL is https. */
  secure: boolean;
  formKey: Buffer;
  redis: Redis;
  /** Redis key prefix, so several deployments (or test files) never share counters. */
  prefix: string;
  limits: Config['choices'];
  onLimit: (req: Request, res: Response, retryAfterSeconds: number) => void;
  /**
   * Failed code entries from every address together passed their budget
   * (FORM_FAILED_ATTEMPTS_GLOBAL): the operators are alerted; the entry itself goes on. Never rejects.
   */
  onGlobalLimit: () => Promise<void>;
}

type VisitorRequest = Request & { mpVisitor?: string };

export interface FormSecurity {
  /** cookie-parser plus a random visitor id, the identity CSRF tokens are bound to. */
  cookies: RequestHandler;
  csrfProtection: RequestHandler;
  csrfToken(req: Request, res: Response): string;
  /** Attempts per IP address (code entry and card requests), counted in Redis across processes. */
  perIp: RateLimitRequestHandler;
  /** Failed attempts per code (wrong ZIP), keyed by an HMAC of the code, never the code. */
  perCode: RateLimitRequestHandler;
  /**
   * Failed attempts from every address together, counted against a budget that many addresses
   * under their own limits can pass: past it the operators are alerted, nobody is refused.
   */
  allFailures: RateLimitRequestHandler;
  sessionToken(req: Request): string | undefined;
  setSession(res: Response, token: string, expiresAt: Date): void;
  clearSession(res: Response): void;
}

export function formSecurity(options: FormSecurityOptions): FormSecurity {
  const name = (base: string) => (options.secure ? `__Host-${base}` : base);
  const visitorCookie = name('mp_visitor');
  const sessionCookie = name('mp_session');
  const base: CookieOptions = { httpOnly: true, sameSite: 'lax', secure: options.secure, path: '/' };

  const withVisitor: RequestHandler = (req, res, next) => {
    const existing = req.cookies?.[visitorCookie];
    if (typeof existing === 'string' && /^[A-Za-z0-9_-]{22}$/.test(existing)) {
      (req as VisitorRequest).mpVisitor = existing;
    } else {
      const visitor = randomBytes(16).toString('base64url');
      (req as VisitorRequest).mpVisitor = visitor;
      res.cookie(visitorCookie, visitor, base);
    }
    next();
  };

  const parseCookies = cookieParser();
  // Derived once: csrf-csrf asks for it on every token made or checked.
  const csrfSecret = hmacHex(options.formKey, 'csrf');
  const csrf = doubleCsrf({
    getSecret: () => csrfSecret,
    getSessionIdentifier: (req) => (req as VisitorRequest).mpVisitor ?? '',
    cookieName: name('mp_csrf'),
    cookieOptions: base,
    getCsrfTokenFromRequest: (req) => (req.body as Record<string, unknown> | undefined)?._csrf as string | undefined,
  });

  const windowMs = options.limits.attemptWindowMinutes * 60_000;
  const store = (kind: string) =>
    new RedisStore({
      prefix: `${options.prefix}:rate:${kind}:`,
      sendCommand: (command: string, ...args: string[]) => options.redis.call(command, ...args) as Promise<RedisReply>,
    });
  // The real wait: until the limiter's window for this key resets, not the whole window.
  const handler = (req: Request, res: Response) => {
    const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
    const seconds = resetTime ? Math.ceil((resetTime.getTime() - Date.now()) / 1000) : Math.ceil(windowMs / 1000);
    options.onLimit(req, res, Math.max(1, seconds));
  };

  const perIp = rateLimit({
    windowMs,
    limit: options.limits.attemptsPerIp,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: store('ip'),
    handler,
  });
  const perCode = rateLimit({
    windowMs,
    limit: options.limits.failedAttemptsPerCode,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: store('code'),
    skip: (req) => !parseCode((req.body as Record<string, string> | undefined)?.code).ok,
    keyGenerator: (req) => {
      const parsed = parseCode((req.body as Record<string, string>).code);
      return hmacHex(options.formKey, `rate:${parsed.ok ? parsed.compact : ''}`);
    },
    // Only failed attempts count: a household that gets in is not slowed down.
    skipSuccessfulRequests: true,
    handler,
  });

  const allFailures = rateLimit({
    windowMs,
    limit: options.limits.failedAttemptsGlobal,
    // The per-IP limiter's headers are the ones a visitor can act on.
    standardHeaders: false,
    legacyHeaders: false,
    store: store('all'),
    skip: (req) => !parseCode((req.body as Record<string, string> | undefined)?.code).ok,
    keyGenerator: () => 'failed-codes',
    skipSuccessfulRequests: true,
    // Not a limit: refusing everyone past the budget would let an attacker lock every household
    // out. The per-IP and per-code limits still refuse; this only raises the operators' alert.
    handler: (_req, _res, next) => {
      void options.onGlobalLimit().then(() => next());
    },
  });

  return {
    cookies: (req, res, next) => parseCookies(req, res, (error?: unknown) => (error ? next(error) : withVisitor(req, res, next))),
    csrfProtection: csrf.doubleCsrfProtection,
    csrfToken: (req, res) => csrf.generateCsrfToken(req, res),
    perIp,
    perCode,
    allFailures,
    sessionToken: (req) => {
      const token = req.cookies?.[sessionCookie];
      return typeof token === 'string' ? token : undefined;
    },
    setSession: (res, token, expiresAt) => res.cookie(sessionCookie, token, { ...base, expires: expiresAt }),
    clearSession: (res) => res.clearCookie(sessionCookie, base),
  };
}
