import { deliveryPointKey, type AddressInput } from '../address/delivery-point-key';
import type { Db } from '../lib/db';
import { PostcardRequestsStore } from './postcard-requests-store';

/**
 * "I didn't get a card / I lost it". The answer never depends on whether the address is known:
 * a readable address is queued for the next postcard batch, without looking anything up.
 */
export class PostcardRequestService {
  constructor(private readonly db: Db) {}

  /**
   * Queues a card for the address, or names every field the household must fix: the street line is
   * checked again with a stand-in ZIP, so a missing house number and a missing ZIP are both reported
   * at once rather than one after the other.
   */
  async request(address: AddressInput): Promise<{ ok: false; fields: ('address1' | 'zip')[] } | { ok: true }> {
    const key = deliveryPointKey(address);
    if (!key.ok) {
      const fields: ('address1' | 'zip')[] = [];
      if (!deliveryPointKey({ ...address, zip: '00000', city: 'X', state: 'MA' }).ok) fields.push('address1');
      if (!deliveryPointKey({ address1: '1 Main St', city: address.city, state: address.state, zip: address.zip }).ok) fields.push('zip');
      return { ok: false, fields: fields.length > 0 ? fields : ['address1'] };
    }
    await new PostcardRequestsStore(this.db).add(key.key, key.components);
    return { ok: true };
  }

  pending(): Promise<number> {
    return new PostcardRequestsStore(this.db).countPending();
  }
}
