/**
 * The normalizers the address evaluation runs on the same rows: mailpref, and two npm address
 * parsers (devDependencies) whose parts are made into a key the way the evaluation names a
 * delivery point (pointOf), so that the comparison is on reading the address, not on spelling.
 */
import { parseLocation } from 'parse-address';
import { parseAddress } from 'addresser';
import { addressLineKey, deliveryPointKey } from '../src/address/delivery-point-key';
import { pointOf, type EvalRow, type Parts } from './address-eval-rows';
import type { Outcome } from './address-eval-metrics';

/** The fields of a fielded row written on one line, for parsers that read only lines. */
function oneLine(row: EvalRow): string {
  if (row.shape === 'one-line') return row.address;
  const street = [row.address1, row.address2].filter((part) => part.trim() !== '').join(' ');
  const last = [row.state, row.zip].filter((part) => part.trim() !== '').join(' ');
  return [street, row.city, last].filter((part) => part.trim() !== '').join(', ');
}

export function mailprefKey(row: EvalRow): Outcome {
  const result = row.shape === 'one-line' ? addressLineKey(row.address) : deliveryPointKey(row);
  return result.ok ? { ok: true, key: result.key } : { ok: false, reason: result.reason };
}

function partsKey(parts: Parts | undefined): Outcome {
  const key = parts === undefined ? undefined : pointOf(parts);
  return key === undefined ? { ok: false, reason: 'NOT_PARSED' } : { ok: true, key };
}

export function parseAddressKey(row: EvalRow): Outcome {
  const p = parseLocation(oneLine(row)) as Record<string, string | undefined> | null;
  if (!p) return partsKey(undefined);
  return partsKey({
    number: p.number ?? '', prefix: p.prefix ?? '', street: p.street ?? '', type: p.type ?? '', suffix: p.suffix ?? '',
    unitType: p.sec_unit_type ?? '', unitNumber: p.sec_unit_num ?? '', city: p.city ?? '', state: p.state ?? '', zip: p.zip ?? '',
  });
}

export function addresserKey(row: EvalRow): Outcome {
  let p: Record<string, string | undefined>;
  try {
    p = parseAddress(oneLine(row)) as unknown as Record<string, string | undefined>;
  } catch {
    return partsKey(undefined);
  }
  const unit = /^(.*?)\s*#?\s*([\w-]+)$/.exec(p.addressLine2 ?? '');
  return partsKey({
    number: p.streetNumber ?? '', prefix: '', street: p.streetName ?? '', type: p.streetSuffix ?? '', suffix: p.streetDirection ?? '',
    unitType: unit ? unit[1]! || '#' : '', unitNumber: unit ? unit[2]! : '', city: p.placeName ?? '', state: p.stateAbbreviation ?? '', zip: p.zipCode ?? '',
  });
}

export const NORMALIZERS: ReadonlyArray<{ name: string; keyOf: (row: EvalRow) => Outcome }> = [
  { name: 'mailpref', keyOf: mailprefKey },
  { name: 'parse-address 1.1.2', keyOf: parseAddressKey },
  { name: 'addresser 1.1.22', keyOf: addresserKey },
];
