import type { Request, RequestHandler } from 'express';
import { UnauthorizedError } from '../lib/errors';
import type { MailerIdentity, MailersService } from './mailers-service';

const IDENTITY = Symbol('mailer');

/** Express middleware: `Authorization: Bearer <key>` → the mailer, or a 401 JSON error. */
export function requireApiKey(mailers: MailersService): RequestHandler {
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      // A common convention elsewhere; name the header we read rather than a bare "missing".
      const elsewhere = req.get('x-api-key') ? 'the key was sent in X-Api-Key, which mailpref does not read: ' : '';
      next(new UnauthorizedError(`No API key: ${elsewhere}send it as \`Authorization: Bearer <key>\``, 'MISSING_API_KEY'));
      return;
    }
    mailers.authenticate(match[1]).then((identity) => {
      setMailer(req, identity);
      next();
    }, next);
  };
}

export function setMailer(req: Request, identity: MailerIdentity): void {
  (req as unknown as Record<symbol, MailerIdentity>)[IDENTITY] = identity;
}

/** The authenticated mailer (only under requireApiKey or the portal's session check). */
export function mailerOf(req: Request): MailerIdentity {
  const identity = (req as unknown as Record<symbol, MailerIdentity | undefined>)[IDENTITY];
  if (!identity) throw new UnauthorizedError();
  return identity;
}
