import type { Redis } from '../lib/redis';

export interface RecipientSession {
  accessCodeId: number;
  deliveryPointId: number;
  lastReference: string | null;
  /**
   * The answers sent from the choices page, waiting on the check page to be confirmed (kept here so
   * that the check page is a GET after a redirect, and Back never lands on a POST's page).
   */
  pending?: { shown: string[]; accepted: string[] } | null;
  expiresAt: Date;
}

/**
 * Web sessions of households that entered a valid code, in Redis (shared by every web process),
 * keyed by the SHA-256 of the cookie token and expiring on their own. Redis rather than
 * PostgreSQL: a session is short-lived and needs no durable commit, which keeps code entry and
 * submission to the one commit that matters (the choices).
 */
export class RecipientSessionsStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(tokenHash: string): string {
    return `${this.prefix}:recipient-session:${tokenHash}`;
  }

  async create(tokenHash: string, session: RecipientSession): Promise<void> {
    const ttl = Math.max(1, session.expiresAt.getTime() - Date.now());
    await this.redis.set(this.key(tokenHash), JSON.stringify(session), 'PX', ttl);
  }

  async find(tokenHash: string): Promise<RecipientSession | undefined> {
    const value = await this.redis.get(this.key(tokenHash));
    if (!value) return undefined;
    const parsed = JSON.parse(value) as Omit<RecipientSession, 'expiresAt'> & { expiresAt: string };
    return { ...parsed, expiresAt: new Date(parsed.expiresAt) };
  }

  /** Keeps the session's expiry (KEEPTTL): a confirmation does not extend it. */
  async save(tokenHash: string, session: RecipientSession): Promise<void> {
    await this.redis.set(this.key(tokenHash), JSON.stringify(session), 'KEEPTTL', 'XX');
  }

  async delete(tokenHash: string): Promise<void> {
    await this.redis.del(this.key(tokenHash));
  }
}
