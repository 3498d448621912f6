import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Redis } from '../lib/redis';

const WINDOW_MS = 15 * 60_000;

export interface SignInLimits {
  /** Failed sign-ins per email and address within 15 minutes. */
  perAccount: number;
  /** Sign-in attempts per address within 15 minutes (a shared office gets more). */
  perAddress: number;
}

/**
 * Sign-in attempts counted in Redis (express-rate-limit with rate-limit-redis, as the household
 * form does), so the limit holds across every web process. Only failed sign-ins count against an
 * account, and they are keyed by email and address together so nobody can lock an operator out
 * from elsewhere.
 */
export function signInLimiter(
  redis: Redis,
  prefix: string,
  onLimit: (req: Request, res: Response, minutes: number) => void,
  limits: SignInLimits = { perAccount: 5, perAddress: 30 },
): RequestHandler[] {
  const store = (kind: string) =>
    new RedisStore({
      prefix: `${prefix}:rate:operator-sign-in:${kind}:`,
      sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
    });
  const handler = (req: Request, res: Response) => onLimit(req, res, WINDOW_MS / 60_000);
  const address = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');
  return [
    rateLimit({ windowMs: WINDOW_MS, limit: limits.perAddress, standardHeaders: 'draft-8', legacyHeaders: false, store: store('address'), keyGenerator: address, handler }),
    rateLimit({
      windowMs: WINDOW_MS,
      limit: limits.perAccount,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      store: store('account'),
      keyGenerator: (req) => `${String((req.body as Record<string, unknown> | undefined)?.email ?? '').trim().toLowerCase()}|${address(req)}`,
      skipSuccessfulRequests: true,
      handler,
    }),
  ];
}
