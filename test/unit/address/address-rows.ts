import type { AddressInput } from '../../../src/address/delivery-point-key';

/** `address1 | address2 | city | state | zip` → AddressInput (missing trailing parts are empty). */
export function row(text: string): AddressInput {
  const [address1 = '', address2 = '', city = '', state = '', zip = ''] = text.split('|').map((part) => part.trim());
  return { address1, address2, city, state, zip };
}
