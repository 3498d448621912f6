import { deliveryPointKey, type AddressInput } from '../../src/address/delivery-point-key';
import type { Root } from '../../src/root';

/** A delivery point for an address (created through the real upsert) and a fresh live code for it. */
export async function householdWithCode(root: Root, address: AddressInput): Promise<{ deliveryPointId: number; code: string; key: string }> {
  const key = deliveryPointKey(address);
  if (!key.ok) throw new Error(`test address unreadable: ${key.message}`);
  const recorded = await root.services.choices.recordChoices({ address, choices: {}, source: 'operator', actor: 'test-setup' });
  const issued = await root.services.accessCodes.issue(recorded.deliveryPointId);
  return { deliveryPointId: recorded.deliveryPointId, code: issued.code, key: key.key };
}

export const ALL_SLUGS = [
  'catalogs',
  'credit-insurance-offers',
  'coupons-retail',
  'magazines-subscriptions',
  'charity-nonprofit',
  'political',
  'other',
];
