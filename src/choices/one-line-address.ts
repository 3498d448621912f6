import type { AddressInput } from '../address/delivery-point-key';

/**
 * Splits an address typed on one line — `123 Main St Apt 4, Boston, MA 02134` — into the fields
 * deliveryPointKey reads. Commas separate street, optional second line, and city; the state and
 * ZIP are taken from the end.
 */
export function parseOneLineAddress(text: string): AddressInput {
  let rest = text.trim();
  let zip = '';
  let state = '';
  const zipMatch = /[\s,]*(\d{5})(?:-?(\d{4}))?$/.exec(rest);
  if (zipMatch) {
    zip = zipMatch[1]!;
    rest = rest.slice(0, zipMatch.index);
  }
  const stateMatch = /(?:^|[\s,]+)([A-Za-z]{2})$/.exec(rest);
  const parts0 = rest.split(',').map((part) => part.trim()).filter(Boolean);
  if (stateMatch && parts0.length >= 2) {
    state = stateMatch[1]!.toUpperCase();
    rest = rest.slice(0, stateMatch.index);
  }
  const parts = rest.split(',').map((part) => part.trim()).filter(Boolean);
  const [address1 = '', ...others] = parts;
  const city = others.length > 0 ? others.pop()! : '';
  return { address1, address2: others.join(' '), city, state, zip };
}
