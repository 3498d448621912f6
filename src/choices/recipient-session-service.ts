import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from '../lib/redis';
import type { AccessCodesService } from './access-codes-service';
import { RecipientSessionsStore, type RecipientSession } from './recipient-sessions-store';

/** How long a household may take between entering its code and confirming its choices. */
export const SESSION_MINUTES = 30;

function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * After a household enters a valid code, the browser gets a random 256-bit token in a cookie and
 * the session store keeps its SHA-256 with the code's id. The code never travels again: not in a
 * URL, not in a hidden field, not in the cookie. The token is unguessable, so it needs no
 * signature, and a copy of the store cannot be turned back into working cookies.
 */
export class RecipientSessionService {
  private readonly store: RecipientSessionsStore;

  constructor(
    redis: Redis,
    prefix: string,
    private readonly accessCodes: AccessCodesService,
  ) {
    this.store = new RecipientSessionsStore(redis, prefix);
  }

  async open(accessCodeId: number, deliveryPointId: number): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + SESSION_MINUTES * 60_000);
    await this.store.create(tokenHash(token), { accessCodeId, deliveryPointId, lastReference: null, expiresAt });
    return { token, expiresAt };
  }

  /**
   * A live session whose code has not been replaced or expired since it was opened. A caller that
   * writes with the code checks it itself, under the address's lock (`codeCheckedByWriter`), which
   * saves a round trip and closes the gap between this check and the write.
   */
  async find(token: string | undefined, options: { codeCheckedByWriter?: boolean } = {}): Promise<RecipientSession | undefined> {
    if (!token || token.length > 100) return undefined;
    const session = await this.store.find(tokenHash(token));
    if (!session) return undefined;
    if (!options.codeCheckedByWriter && !(await this.accessCodes.isLive(session.accessCodeId))) return undefined;
    return session;
  }

  /** The choices are recorded: the answers are no longer pending. */
  async setLastReference(token: string, session: RecipientSession, reference: string): Promise<void> {
    await this.store.save(tokenHash(token), { ...session, lastReference: reference, pending: null });
  }

  async setPending(token: string, session: RecipientSession, pending: { shown: string[]; accepted: string[] }): Promise<void> {
    await this.store.save(tokenHash(token), { ...session, pending });
  }

  async end(token: string | undefined): Promise<void> {
    if (token) await this.store.delete(tokenHash(token));
  }
}
