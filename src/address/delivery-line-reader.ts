/**
 * Reads the delivery line of an address from its address1 and address2 fields, wherever the
 * parts were put: units in address2 (or in address1 and repeated in address2), the street in
 * address2 when address1 holds a company or "c/o" name, a PO Box in address2.
 */
import { failure, type AddressFailure } from './address-status';
import { WORDS } from './address-words';
import { tokenize } from './address-tokenizer';
import { readBoxLine, type BoxLine } from './box-address-parser';
import { isUnitValue, orderUnits, readUnits, type SecondaryUnit } from './secondary-unit-parser';
import { isPrimaryNumber, readStreetLine, type StreetLine } from './street-address-parser';

export type DeliveryLine = ({ kind: 'street' } & StreetLine) | ({ kind: BoxLine['kind'] } & BoxLine & { units: SecondaryUnit[] });

type LineReading =
  | { type: 'empty' }
  | { type: 'ignored' }
  | { type: 'placeholder' }
  | { type: 'units'; units: SecondaryUnit[] }
  | { type: 'line'; line: DeliveryLine }
  | { type: 'failed'; failure: AddressFailure };

const EMPTY: LineReading = { type: 'empty' };
const IGNORED: LineReading = { type: 'ignored' };
const PLACEHOLDER: LineReading = { type: 'placeholder' };

function allPlaceholders(tokens: readonly string[]): boolean {
  for (const token of tokens) if (!WORDS.get(token)?.placeholder) return false;
  return true;
}

function readLine(tokens: string[], secondLine: boolean): LineReading {
  const end = tokens.length;
  if (end === 0) return EMPTY;
  const first = tokens[0]!;
  if (WORDS.get(first)?.startsNonAddressLine) return IGNORED;
  if (allPlaceholders(tokens)) return PLACEHOLDER;
  const mayBeUnits = first === '#' || WORDS.get(first)?.unit != null || WORDS.get(first)?.ordinalStart === true || isUnitValue(first);
  if (secondLine && mayBeUnits) {
    const units: SecondaryUnit[] = [];
    if (!readUnits(tokens, 0, end, units)) return { type: 'units', units };
  }
  if (isPrimaryNumber(first)) {
    const units: SecondaryUnit[] = [];
    const street = readStreetLine(tokens, end, units);
    if ('ok' in street) return { type: 'failed', failure: street };
    return { type: 'line', line: { kind: 'street', ...street } };
  }
  const box = readBoxLine(tokens, end);
  if (box) return 'ok' in box ? { type: 'failed', failure: box } : { type: 'line', line: { ...box, units: [] } };
  if (mayBeUnits) {
    const units: SecondaryUnit[] = [];
    const unitFailure = readUnits(tokens, 0, end, units);
    if (!unitFailure) return { type: 'units', units };
    if (secondLine) return { type: 'failed', failure: unitFailure };
  }
  if (secondLine) return { type: 'failed', failure: failure('BAD_UNIT', `cannot read "${tokens.join(' ')}" as a unit or an address`) };
  return { type: 'failed', failure: failure('NO_PRIMARY_NUMBER', `"${tokens.join(' ')}" does not start with a house number`) };
}

function withUnits(line: DeliveryLine, units: SecondaryUnit[]): DeliveryLine | AddressFailure {
  if (units.length === 0) return line;
  if (line.kind !== 'street') return failure('BAD_UNIT', 'a PO Box, rural route or highway contract box has no apartment or suite');
  return { ...line, units: orderUnits([...line.units, ...units]) };
}

function named(field: string, result: AddressFailure): AddressFailure {
  return failure(result.reason, `${field}: ${result.message}`);
}

// Scratch arrays, reused: keying is synchronous.
const tokens1: string[] = [];
const tokens2: string[] = [];

/** The delivery line of address1 + address2, or why there is none. */
export function readDeliveryLine(address1: string | undefined, address2: string | undefined): DeliveryLine | AddressFailure {
  tokens1.length = 0;
  tokens2.length = 0;
  tokenize(address1, tokens1);
  tokenize(address2, tokens2);
  const one = readLine(tokens1, false);
  const two = tokens2.length === 0 ? EMPTY : readLine(tokens2, true);

  if (one.type === 'line') {
    if (two.type === 'line') {
      // USPS delivers to the line just above the city line: a PO Box in address2 wins.
      if (two.line.kind !== 'street') return two.line;
      return failure('UNREADABLE', 'address1 and address2 are two different street addresses');
    }
    if (two.type === 'units') return withUnits(one.line, two.units);
    if (two.type === 'failed') return named('address2', two.failure);
    return one.line.kind === 'street' && one.line.units.length > 1 ? { ...one.line, units: orderUnits(one.line.units) } : one.line;
  }
  if (two.type === 'line' && !(one.type === 'failed' && one.failure.reason !== 'NO_PRIMARY_NUMBER')) {
    // address1 is a company, a name or the unit; the street is in address2
    if (one.type === 'units') return withUnits(two.line, one.units);
    return two.line;
  }
  if (one.type === 'failed') return named('address1', one.failure);
  if (two.type === 'failed') return named('address2', two.failure);
  if (one.type === 'empty' && address1 !== undefined && address1.trim() !== '') {
    return failure('UNREADABLE', `address1: "${address1.trim()}" has no letters or digits`);
  }
  if (one.type === 'placeholder') return failure('UNREADABLE', `address1: "${address1?.trim()}" is a placeholder, not an address`);
  if (one.type === 'units' || two.type === 'units') return failure('NO_STREET', 'only a unit, no street address');
  return failure('NO_STREET', 'no street address');
}
