/**
 * The delivery-point key: one canonical string per USPS delivery point (Publication 28), so that
 * every way of writing one address finds the same household's choices.
 *
 * FIRST VERSION: a deliberately small normaliser (case, punctuation, spacing, a few suffixes,
 * directionals and unit designators). The full Pub 28 parser replaces its internals; the
 * exported types and function signature are the contract the rest of the code relies on.
 */

export interface AddressInput {
  address1?: string;
  address2?: string;
  city?: string;
  state?: string;
  zip?: string;
  zip4?: string;
}

export type AddressStatus = 'OK' | 'NO_PRIMARY_NUMBER' | 'NO_STREET' | 'NO_LOCALITY' | 'UNREADABLE';

export interface AddressComponents {
  /** The canonical first address line, e.g. `123 N MAIN ST APT 4B` or `PO BOX 12`. */
  line: string;
  city: string;
  state: string;
  zip5: string;
}

export type KeyResult =
  | { ok: true; key: string; components: AddressComponents }
  | { ok: false; reason: Exclude<AddressStatus, 'OK'>; message: string };

const SUFFIXES: Record<string, string> = { STREET: 'ST', AVENUE: 'AVE', ROAD: 'RD', DRIVE: 'DR', BOULEVARD: 'BLVD', LANE: 'LN', COURT: 'CT', PLACE: 'PL' };
const DIRECTIONS: Record<string, string> = { NORTH: 'N', SOUTH: 'S', EAST: 'E', WEST: 'W' };
const UNITS = new Set(['APT', 'APARTMENT', 'UNIT', 'STE', 'SUITE', '#']);

function clean(value: string | undefined): string {
  return (value ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/#/g, ' # ')
    .replace(/[.,]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function deliveryPointKey(input: AddressInput): KeyResult {
  const words = `${clean(input.address1)} ${clean(input.address2)}`.trim().split(' ').filter(Boolean);
  const zipDigits = (input.zip ?? '').replace(/[^0-9]/g, '');
  const zip5 = zipDigits.length === 0 ? '' : zipDigits.length <= 5 ? zipDigits.padStart(5, '0') : zipDigits.slice(0, 5);
  const city = clean(input.city);
  const state = clean(input.state);
  if (words.length === 0) return { ok: false, reason: 'NO_STREET', message: 'no street address' };
  if (!/^\d/.test(words[0]!)) return { ok: false, reason: 'NO_PRIMARY_NUMBER', message: 'the address does not start with a house number' };
  if (words.length < 2) return { ok: false, reason: 'NO_STREET', message: 'no street name after the house number' };
  if (!zip5 && !(city && state)) return { ok: false, reason: 'NO_LOCALITY', message: 'no ZIP code and no city and state' };
  const out: string[] = [];
  let unit = '';
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (UNITS.has(word) && i + 1 < words.length) {
      unit = words.slice(i + 1).join('');
      break;
    }
    out.push(SUFFIXES[word] ?? DIRECTIONS[word] ?? word);
  }
  const line = unit ? `${out.join(' ')} # ${unit}` : out.join(' ');
  const locality = zip5 || `${city}|${state}`;
  return { ok: true, key: `${line}|${locality}`, components: { line, city, state, zip5 } };
}
