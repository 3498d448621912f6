import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { BadRequestError, ConflictError, NotFoundError, UnauthorizedError } from '../lib/errors';
import type { MailerSessionsStore } from './mailer-sessions-store';
import type { Mailer, MailersStore } from './mailers-store';

/** How long a portal session lasts after sign-in. */
export const MAILER_SESSION_HOURS = 8;

/** The mailer an API key (or a portal session) acts for. */
export interface MailerIdentity {
  mailerId: number;
  mailerName: string;
  keyPrefix: string;
}

// `mp_<prefix>_<secret>`: the prefix finds the row, the 32-byte secret is what proves possession.
// The key has 256 bits of entropy, so a plain SHA-256 is enough (no password-style stretching).
const KEY_FORMAT = /^mp_([a-f0-9]{10})_([A-Za-z0-9_-]{43})$/;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export class MailersService {
  constructor(
    private readonly store: MailersStore,
    private readonly sessions: MailerSessionsStore,
  ) {}

  /** Portal sign-in with an API key: returns a session token for the cookie (only its hash is kept). */
  async signIn(apiKey: string): Promise<{ token: string; identity: MailerIdentity; expiresAt: Date }> {
    const identity = await this.authenticate(apiKey);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + MAILER_SESSION_HOURS * 3600_000);
    await this.sessions.insert(hashApiKey(token), identity.keyPrefix, expiresAt);
    return { token, identity, expiresAt };
  }

  async sessionIdentity(token: string | undefined): Promise<MailerIdentity | undefined> {
    if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    return this.sessions.findLive(hashApiKey(token));
  }

  async signOut(token: string | undefined): Promise<void> {
    if (token) await this.sessions.delete(hashApiKey(token));
  }

  /** For purge-expired: removes portal sessions past their expiry, returns how many. */
  purgeExpired(now: Date): Promise<number> {
    return this.sessions.deleteExpired(now);
  }

  /** Creates a mailer with its first key; the key is returned once and never stored. */
  async createMailer(name: string): Promise<{ mailer: Mailer; apiKey: string; prefix: string }> {
    const trimmed = name.trim();
    if (!trimmed) throw new BadRequestError('A mailer needs a name');
    if (trimmed.length > 200) throw new BadRequestError("A mailer's name must be at most 200 characters");
    const mailer = await this.store.insertMailer(trimmed);
    if (!mailer) throw new ConflictError(`A mailer named "${trimmed}" already exists; use \`mailpref mailers keys create "${trimmed}"\` for another key`);
    const { apiKey, prefix } = await this.createKeyFor(mailer.id);
    return { mailer, apiKey, prefix };
  }

  async createKey(mailerName: string): Promise<{ apiKey: string; prefix: string }> {
    const mailer = await this.store.findMailerByName(mailerName.trim());
    if (!mailer) throw new NotFoundError(`No mailer named "${mailerName}"`);
    return this.createKeyFor(mailer.id);
  }

  private async createKeyFor(mailerId: number): Promise<{ apiKey: string; prefix: string }> {
    const prefix = randomBytes(5).toString('hex');
    const apiKey = `mp_${prefix}_${randomBytes(32).toString('base64url')}`;
    await this.store.insertKey(mailerId, prefix, hashApiKey(apiKey));
    return { apiKey, prefix };
  }

  /** For the sample data only: a mailer with a fixed, published key (never in production data). */
  async ensureMailerWithKey(name: string, apiKey: string): Promise<void> {
    const match = KEY_FORMAT.exec(apiKey);
    if (!match) throw new Error('not an API key');
    const mailer = (await this.store.findMailerByName(name)) ?? (await this.store.insertMailer(name));
    if (!mailer) throw new ConflictError(`Cannot create mailer "${name}"`);
    if (!(await this.store.findKeyByPrefix(match[1]!))) await this.store.insertKey(mailer.id, match[1]!, hashApiKey(apiKey));
  }

  async revokeKey(prefix: string): Promise<void> {
    const clean = prefix.trim().replace(/^mp_/, '').replace(/_.*$/, '');
    if (!(await this.store.revokeKey(clean))) throw new NotFoundError(`No API key with prefix "${prefix}"`);
  }

  listMailers() {
    return this.store.listMailers();
  }

  /** Checks a presented key; unknown, malformed and revoked keys all get the same 401. */
  async authenticate(apiKey: string | undefined): Promise<MailerIdentity> {
    const match = KEY_FORMAT.exec(apiKey?.trim() ?? '');
    if (!match) throw new UnauthorizedError('A valid API key is required (Authorization: Bearer mp_…)', 'INVALID_API_KEY');
    const row = await this.store.findKeyByPrefix(match[1]!);
    const presented = Buffer.from(hashApiKey(match[0]), 'hex');
    if (!row || !timingSafeEqual(presented, Buffer.from(row.hash, 'hex'))) {
      throw new UnauthorizedError('Unknown API key', 'INVALID_API_KEY');
    }
    if (row.revokedAt) throw new UnauthorizedError('This API key has been revoked', 'REVOKED_API_KEY');
    if (!row.mailerActive) throw new UnauthorizedError('This mailer account is disabled', 'MAILER_DISABLED');
    await this.store.touchKey(row.id);
    return { mailerId: row.mailerId, mailerName: row.mailerName, keyPrefix: row.prefix };
  }
}
