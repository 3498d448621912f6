/**
 * Street lines (Pub 28 §23x): house number, pre-directional, street name, suffix,
 * post-directional, secondary units. Works on the words of tokenize(); decisions come from the
 * position of a word, never from a guess about an unknown word.
 */
import { failure, type AddressFailure } from './address-status';
import { startsWithDigit, WORDS } from './address-words';
import { readNumberedHighway } from './numbered-highways';
import { compoundDirectional } from './pub28-directionals';
import { POUND_DESIGNATOR } from './pub28-unit-designators';
import { findUnitStart, isUnitValue, readUnits, type SecondaryUnit } from './secondary-unit-parser';
import { numericOrdinal, readSpelledOrdinal, repairNumericOrdinal } from './spelled-ordinals';

export interface StreetLine {
  primaryNumber: string;
  preDirectional: string;
  streetName: string;
  suffix: string;
  postDirectional: string;
  units: SecondaryUnit[];
}

/** Wisconsin and Utah grid house numbers such as N89W16170 (Pub 28 §232.1): letter, digits, letter, digits. */
function isGridNumber(token: string): boolean {
  const first = token.charCodeAt(0);
  if (first !== 78 && first !== 83 && first !== 69 && first !== 87) return false;
  let i = 1;
  while (i < token.length && startsWithDigit(token[i]!)) i++;
  if (i === 1 || i >= token.length - 1) return false;
  const middle = token.charCodeAt(i);
  if (middle !== 78 && middle !== 83 && middle !== 69 && middle !== 87) return false;
  for (let k = i + 1; k < token.length; k++) if (!startsWithDigit(token[k]!)) return false;
  return true;
}

/** A word that can be a house number: starts with a digit (123, 123A, 123-45) or is a grid number. */
export function isPrimaryNumber(token: string): boolean {
  return startsWithDigit(token) || isGridNumber(token);
}

function isFraction(token: string): boolean {
  const slash = token.indexOf('/');
  return slash > 0 && startsWithDigit(token) && slash < token.length - 1 && token.indexOf('-') < 0;
}

function isAllDigits(token: string): boolean {
  for (let i = 0; i < token.length; i++) if (!startsWithDigit(token[i]!)) return false;
  return true;
}

function isSuffixWord(word: string): boolean {
  return WORDS.get(word)?.suffix != null;
}

function directionalOf(word: string): string | null {
  return WORDS.get(word)?.directional ?? null;
}

/** words[a..b) can be a street name on its own: more than one word, or one word that is not a bare suffix (ST) . */
function canBeName(words: readonly string[], a: number, b: number): boolean {
  return b - a >= 2 || (b - a === 1 && !isSuffixWord(words[a]!));
}

// Scratch space reused between calls: keying is synchronous and allocation-free where it can be.
const words: string[] = [];

/** Street name words with ordinals as numbers: FIFTH → 5TH, NINETY SIXTH → 96TH, 2D → 2ND, 5 TH → 5TH. */
function normalizeWords(tokens: readonly string[], start: number, end: number): void {
  words.length = 0;
  for (let k = start; k < end; k++) {
    const token = tokens[k]!;
    if (startsWithDigit(token)) {
      const next = k + 1 < end ? tokens[k + 1] : undefined;
      // 5 TH AVE: never 1 ST, which is the house number 1 on a street called ST
      if ((next === 'TH' || next === 'ND' || next === 'RD') && isAllDigits(token)) {
        words.push(numericOrdinal(Number(token)));
        k++;
        continue;
      }
      words.push(repairNumericOrdinal(token) ?? token);
      continue;
    }
    if (WORDS.get(token)?.ordinalStart) {
      const spelled = readSpelledOrdinal(tokens, k, end);
      if (spelled.used > 0) {
        words.push(spelled.ordinal);
        k += spelled.used - 1;
        continue;
      }
    }
    words.push(token);
  }
}

/** How a word is written inside a street name (ST CHARLES → SAINT CHARLES, MT VERNON → MOUNT VERNON). */
function nameWord(word: string, position: number, last: number): string {
  if (word === 'ST' || word === 'STE') return position < last ? WORDS.get(word)!.nameForm! : 'STREET';
  if (word === 'DR' && position === 0 && last > 0) return 'DOCTOR';
  return WORDS.get(word)?.nameForm ?? word;
}

function joinName(a: number, b: number): string {
  let name = nameWord(words[a]!, 0, b - a - 1);
  for (let k = a + 1; k < b; k++) name += ' ' + nameWord(words[k]!, k - a, b - a - 1);
  return name;
}

/** COUNTY RD 5 N, N STATE HWY 116: a numbered road, with the directionals around it. */
function readHighwayName(primaryNumber: string, units: SecondaryUnit[]): StreetLine | undefined {
  const b = words.length;
  const pre = directionalOf(words[0]!);
  const post = b > 1 ? directionalOf(words[b - 1]!) : null;
  for (let start = 0; start <= (pre === null ? 0 : 1); start++) {
    for (let end = b; end >= (post === null ? b : b - 1); end--) {
      const name = end - start >= 2 ? readNumberedHighway(words, start, end) : undefined;
      if (name !== undefined) {
        return { primaryNumber, preDirectional: start === 1 ? pre! : '', streetName: name, suffix: '', postDirectional: end < b ? post! : '', units };
      }
    }
  }
  return undefined;
}

/**
 * Reads a street line from tokens[0..end): tokens[0] is known to be a house number. Units found
 * at its end are appended to `units`.
 */
export function readStreetLine(tokens: readonly string[], end: number, units: SecondaryUnit[]): StreetLine | AddressFailure {
  let primaryNumber = tokens[0]!;
  let i = 1;
  const hyphen = primaryNumber.indexOf('-');
  if (hyphen > 0 && primaryNumber.indexOf('/') > hyphen) {
    // 101-1/2 is 101 1/2, not a Queens number
    primaryNumber = primaryNumber.slice(0, hyphen) + ' ' + primaryNumber.slice(hyphen + 1);
  } else if (i < end && isFraction(tokens[i]!)) {
    primaryNumber += ' ' + tokens[i]!;
    i++;
  }
  const unitStart = findUnitStart(tokens, i, end);
  if (unitStart === i) return failure('NO_STREET', `no street name after the house number ${primaryNumber}`);
  const unitFailure = readUnits(tokens, unitStart, end, units);
  if (unitFailure) return unitFailure;

  normalizeWords(tokens, i, unitStart);
  let a = 0;
  let b = words.length;
  if (b === 0) return failure('NO_STREET', `no street name after the house number ${primaryNumber}`);

  const highway = readHighwayName(primaryNumber, units);
  if (highway) return highway;

  // 123 MAIN ST 4B: a number after the suffix or post-directional is the unit (# 4B)
  if (b >= 3) {
    const last = words[b - 1]!;
    const before = words[b - 2]!;
    if (isUnitValue(last) && directionalOf(last) === null && repairNumericOrdinal(last) === undefined && (isSuffixWord(before) || directionalOf(before) !== null)) {
      units.push({ designator: POUND_DESIGNATOR, value: last });
      b--;
    }
  }

  let postDirectional = '';
  const post = b - a >= 2 ? directionalOf(words[b - 1]!) : null;
  if (post !== null && canBeName(words, a, b - 1)) {
    postDirectional = post;
    b--;
  }

  let preDirectional = '';
  if (b - a >= 2) {
    const compound = b - a >= 3 ? compoundDirectional(words[a]!, words[a + 1]!) : undefined;
    const pre = directionalOf(words[a]!);
    if (compound !== undefined && canBeName(words, a + 2, b)) {
      preDirectional = compound;
      a += 2;
    } else if (pre !== null && canBeName(words, a + 1, b)) {
      preDirectional = pre;
      a++;
    }
  }

  let suffix = '';
  if (b - a >= 2) {
    const found = WORDS.get(words[b - 1]!)?.suffix;
    if (found) {
      suffix = found.abbreviation;
      b--;
    }
  }
  return { primaryNumber, preDirectional, streetName: joinName(a, b), suffix, postDirectional, units };
}
