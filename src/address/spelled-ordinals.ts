/**
 * Street names that are numbers are written as numeric ordinals (Pub 28 §235, Numeric Street Names, and the ZIP+4 file:
 * FIFTH AVE → 5TH AVE, NINETY-SIXTH ST → 96TH ST). This reads spelled ordinals, including
 * compounds (TWENTY FIRST, ONE HUNDRED TWENTY FIFTH), and repairs numeric ones (2D → 2ND).
 */
const ORDINAL_WORDS: ReadonlyMap<string, number> = new Map([
  ['FIRST', 1], ['SECOND', 2], ['THIRD', 3], ['FOURTH', 4], ['FIFTH', 5], ['SIXTH', 6], ['SEVENTH', 7],
  ['EIGHTH', 8], ['NINTH', 9], ['TENTH', 10], ['ELEVENTH', 11], ['TWELFTH', 12], ['THIRTEENTH', 13],
  ['FOURTEENTH', 14], ['FIFTEENTH', 15], ['SIXTEENTH', 16], ['SEVENTEENTH', 17], ['EIGHTEENTH', 18],
  ['NINETEENTH', 19], ['TWENTIETH', 20], ['THIRTIETH', 30], ['FORTIETH', 40], ['FIFTIETH', 50],
  ['SIXTIETH', 60], ['SEVENTIETH', 70], ['EIGHTIETH', 80], ['NINETIETH', 90], ['HUNDREDTH', 100],
]);

const TENS_WORDS: ReadonlyMap<string, number> = new Map([
  ['TWENTY', 20], ['THIRTY', 30], ['FORTY', 40], ['FIFTY', 50], ['SIXTY', 60], ['SEVENTY', 70], ['EIGHTY', 80], ['NINETY', 90],
]);

const DIGIT_WORDS: ReadonlyMap<string, number> = new Map([
  ['ONE', 1], ['TWO', 2], ['THREE', 3], ['FOUR', 4], ['FIVE', 5], ['SIX', 6], ['SEVEN', 7], ['EIGHT', 8], ['NINE', 9],
]);

/** Every word that can begin a spelled ordinal (a cheap first test before trying to read one). */
export const ORDINAL_START_WORDS: ReadonlySet<string> = new Set([...ORDINAL_WORDS.keys(), ...TENS_WORDS.keys(), ...DIGIT_WORDS.keys()]);

/** `n` as a numeric ordinal: 1ST 2ND 3RD 4TH 11TH 12TH 13TH 21ST 101ST 111TH. */
export function numericOrdinal(n: number): string {
  const lastTwo = n % 100;
  const last = n % 10;
  const suffix = lastTwo >= 11 && lastTwo <= 13 ? 'TH' : last === 1 ? 'ST' : last === 2 ? 'ND' : last === 3 ? 'RD' : 'TH';
  return `${n}${suffix}`;
}

/**
 * Reads a spelled ordinal starting at words[start]. Returns the number of words used and the
 * numeric ordinal, or 0 words when there is none (ONE alone, TWENTY alone are not ordinals).
 */
export function readSpelledOrdinal(words: readonly string[], start: number, end: number): { used: number; ordinal: string } {
  let i = start;
  let value = 0;
  const digit = DIGIT_WORDS.get(words[i]!);
  if (digit !== undefined && i + 1 < end && (words[i + 1] === 'HUNDRED' || words[i + 1] === 'HUNDREDTH')) {
    if (words[i + 1] === 'HUNDREDTH') return { used: 2, ordinal: numericOrdinal(digit * 100) };
    value = digit * 100;
    i += 2;
    if (i < end && words[i] === 'AND') i++;
    if (i >= end) return { used: 0, ordinal: '' };
  }
  const tens = TENS_WORDS.get(words[i]!);
  if (tens !== undefined && i + 1 < end) {
    const unit = ORDINAL_WORDS.get(words[i + 1]!);
    if (unit !== undefined && unit < 10) return { used: i + 2 - start, ordinal: numericOrdinal(value + tens + unit) };
  }
  const ordinal = ORDINAL_WORDS.get(words[i]!);
  if (ordinal !== undefined && ordinal < 100) return { used: i + 1 - start, ordinal: numericOrdinal(value + ordinal) };
  return { used: 0, ordinal: '' };
}

/**
 * A numeric ordinal as people type it (5TH, 2D, 3D, 21ST, 22ND, 1st with a wrong suffix such as
 * 2TH) in Pub 28 form, or undefined when the token is not one.
 */
export function repairNumericOrdinal(token: string): string | undefined {
  const length = token.length;
  let digits = 0;
  while (digits < length) {
    const c = token.charCodeAt(digits);
    if (c < 48 || c > 57) break;
    digits++;
  }
  if (digits === 0 || digits === length) return undefined;
  const letters = token.slice(digits);
  if (letters !== 'ST' && letters !== 'ND' && letters !== 'RD' && letters !== 'TH' && letters !== 'D') return undefined;
  return numericOrdinal(Number(token.slice(0, digits)));
}
