import { deliveryPointKey, type AddressInput, type KeyResult } from '../address/delivery-point-key';
import type { Db } from '../lib/db';
import { PostcardRequestsStore } from './postcard-requests-store';

/**
 * "I didn't get a card / I lost it". The answer never depends on whether the address is known:
 * a readable address is queued for the next postcard batch, without looking anything up.
 */
export class PostcardRequestService {
  constructor(private readonly db: Db) {}

  async request(address: AddressInput): Promise<Extract<KeyResult, { ok: false }> | { ok: true }> {
    const key = deliveryPointKey(address);
    if (!key.ok) return key;
    await new PostcardRequestsStore(this.db).add(key.key, key.components);
    return { ok: true };
  }

  pending(): Promise<number> {
    return new PostcardRequestsStore(this.db).countPending();
  }
}
