import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Db } from '../lib/db';
import { RecipientSessionsStore, type RecipientSession } from './recipient-sessions-store';

/** How long a household may take between entering its code and confirming its choices. */
export const SESSION_MINUTES = 30;

function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * After a household enters a valid code, the browser gets a random 256-bit token in a cookie and
 * the database keeps its SHA-256 with the code's id. The code never travels again: not in a URL,
 * not in a hidden field, not in the cookie. The token is unguessable, so it needs no signature, and
 * a copy of the table cannot be turned back into working cookies.
 */
export class RecipientSessionService {
  constructor(private readonly db: Db) {}

  async open(accessCodeId: number, deliveryPointId: number): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + SESSION_MINUTES * 60_000);
    const store = new RecipientSessionsStore(this.db);
    await store.create(tokenHash(token), accessCodeId, deliveryPointId, expiresAt);
    // Keep the table small without a job of its own: about one sign-in in fifty sweeps the
    // expired rows (an indexed delete), so the sweep costs nothing noticeable per sign-in.
    if (randomInt(50) === 0) await store.deleteExpired();
    return { token, expiresAt };
  }

  async find(token: string | undefined): Promise<RecipientSession | undefined> {
    if (!token || token.length > 100) return undefined;
    return new RecipientSessionsStore(this.db).findLive(tokenHash(token));
  }

  async setLastReference(token: string, reference: string): Promise<void> {
    await new RecipientSessionsStore(this.db).setLastReference(tokenHash(token), reference);
  }

  async end(token: string | undefined): Promise<void> {
    if (token) await new RecipientSessionsStore(this.db).delete(tokenHash(token));
  }
}
