/**
 * ZIP codes as lists carry them: 02134, 02134-1234, 021341234, and the same after a spreadsheet
 * read them as numbers (2134, 21341234, 2134.0). Only ZIP5 is kept: ZIP+4 names a block face or
 * a building, not a household, and is often missing or stale.
 */
import { failure, type AddressFailure } from './address-status';
import { stateHasZeroPrefix } from './us-states';

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * The ZIP5 of `raw`, '' when there is none, or a failure. `state` (a USPS code or '') decides
 * whether missing leading zeros are restored: 2134 becomes 02134 only for a state whose ZIP
 * codes start with 0 (MA, CT, NJ, PR…), because a 4-digit ZIP in any other state is a typo,
 * not a stripped zero, and guessing would file one household's choices under another's ZIP.
 */
export function readZip5(raw: string | undefined, state: string): string | AddressFailure {
  if (!raw) return '';
  let end = raw.length;
  let start = 0;
  while (start < end && raw.charCodeAt(start) <= 32) start++;
  while (end > start && raw.charCodeAt(end - 1) <= 32) end--;
  if (start === end) return '';
  // 2134.0: a spreadsheet wrote the number it read
  if (end - start > 2 && raw.charCodeAt(end - 2) === 46 && raw.charCodeAt(end - 1) === 48) end -= 2;
  let first = 0; // digits before a separator
  let second = -1; // digits after it, -1 when there is no separator
  for (let i = start; i < end; i++) {
    const c = raw.charCodeAt(i);
    if (isDigitCode(c)) {
      if (second < 0) first++;
      else second++;
    } else if ((c === 45 || c === 32) && second < 0 && first > 0) {
      second = 0;
    } else if (c > 127 && raw.normalize('NFKC') !== raw) {
      return readZip5(raw.normalize('NFKC'), state); // full-width digits
    } else {
      return failure('BAD_ZIP', `ZIP code "${raw.trim()}" is not 5 or 9 digits`);
    }
  }
  const digitsStart = start;
  if (second < 0 && (first === 5 || first === 9)) return raw.slice(digitsStart, digitsStart + 5);
  if (second === 4 && first === 5) return raw.slice(digitsStart, digitsStart + 5);
  // stripped leading zeros: 3 or 4 digits, alone or before a +4; 7 or 8 digits run together
  let zipDigits = 0;
  if (second < 0 && (first === 3 || first === 4)) zipDigits = first;
  else if (second === 4 && (first === 3 || first === 4)) zipDigits = first;
  else if (second < 0 && (first === 7 || first === 8)) zipDigits = first - 4;
  if (zipDigits === 0) return failure('BAD_ZIP', `ZIP code "${raw.trim()}" is not 5 or 9 digits`);
  const zip5 = '0'.repeat(5 - zipDigits) + raw.slice(digitsStart, digitsStart + zipDigits);
  if (state && stateHasZeroPrefix(state, Number(zip5.slice(0, 3)))) return zip5;
  return failure(
    'BAD_ZIP',
    state
      ? `ZIP code "${raw.trim()}" has ${zipDigits} digits and ${zip5} is not a ${state} ZIP code, so the missing zeros cannot be restored`
      : `ZIP code "${raw.trim()}" has ${zipDigits} digits and there is no state to tell whether leading zeros were lost`,
  );
}
