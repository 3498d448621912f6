/**
 * Street lines (Pub 28 §23x): house number, pre-directional, street name, suffix,
 * post-directional, secondary units. Works on the words of tokenize(); decisions come from the
 * position of a word, never from a guess about an unknown word.
 */
import { failure, type AddressFailure } from './address-status';
import { WORDS } from './address-words';
import { WordList } from './address-tokenizer';
import { isAllDigits, isDigitCode, startsWithDigit } from './characters';
import { readNumberedHighway } from './numbered-highways';
import { compoundDirectional } from './pub28-directionals';
import { POUND_DESIGNATOR } from './pub28-unit-designators';
import { findUnitStart, isUnitValue, joinsValue, readUnits, type SecondaryUnit } from './secondary-unit-parser';
import { numericOrdinal, readSpelledOrdinal, repairNumericOrdinal } from './spelled-ordinals';

export interface StreetLine {
  kind: 'street';
  primaryNumber: string;
  preDirectional: string;
  streetName: string;
  suffix: string;
  postDirectional: string;
  units: SecondaryUnit[];
}

function isCompassLetter(c: number): boolean {
  return c === 78 || c === 83 || c === 69 || c === 87; // N S E W
}

/** Wisconsin and Utah grid house numbers such as N89W16170 (Pub 28 §232.1): letter, digits, letter, digits. */
function isGridNumber(word: string): boolean {
  if (!isCompassLetter(word.charCodeAt(0))) return false;
  let i = 1;
  while (i < word.length && isDigitCode(word.charCodeAt(i))) i++;
  if (i === 1 || i >= word.length - 1 || !isCompassLetter(word.charCodeAt(i))) return false;
  return isAllDigits(word.slice(i + 1));
}

/** A word that can be a house number: starts with a digit (123, 123A, 123-45) or is a grid number. */
export function isPrimaryNumber(word: string): boolean {
  return startsWithDigit(word) || isGridNumber(word);
}

function isFraction(word: string): boolean {
  if (!startsWithDigit(word)) return false; // before the searches: the word after a house number is mostly a name
  const slash = word.indexOf('/');
  return slash > 0 && slash < word.length - 1 && word.indexOf('-') < 0;
}

// The street-name words with ordinals as numbers, reused between calls (keying is synchronous).
const name = new WordList();

function isSuffixAt(k: number): boolean {
  return name.infos[k]?.suffix != null;
}

function directionalAt(k: number): string | null {
  return name.infos[k]?.directional ?? null;
}

/** name[a..b) can be a street name on its own: more than one word, or one word that is not a bare suffix (ST). */
function canBeName(a: number, b: number): boolean {
  return b - a >= 2 || (b - a === 1 && !isSuffixAt(a));
}

/** Street name words with ordinals as numbers: FIFTH → 5TH, NINETY SIXTH → 96TH, 2D → 2ND, 5 TH → 5TH. */
function readNameWords(list: WordList, start: number, end: number): void {
  name.count = 0;
  const { words, infos } = list;
  for (let k = start; k < end; k++) {
    const word = words[k]!;
    if (startsWithDigit(word)) {
      const next = k + 1 < end ? words[k + 1] : undefined;
      // 5 TH AVE; never 1 ST, which is the house number 1 on a street called ST
      if ((next === 'TH' || next === 'ND' || next === 'RD') && isAllDigits(word)) {
        name.push(numericOrdinal(Number(word)), undefined);
        k++;
        continue;
      }
      const ordinal = repairNumericOrdinal(word);
      name.push(ordinal ?? word, ordinal === undefined ? infos[k] : undefined);
      continue;
    }
    if (infos[k]?.ordinalStart) {
      const spelled = readSpelledOrdinal(words, k, end);
      if (spelled.used > 0) {
        name.push(spelled.ordinal, undefined);
        k += spelled.used - 1;
        continue;
      }
    }
    name.push(word, infos[k]);
  }
}

/** How a word is written inside a street name (ST CHARLES → SAINT CHARLES, MT VERNON → MOUNT VERNON). */
function nameWord(k: number, position: number, last: number): string {
  const word = name.words[k]!;
  if (word === 'ST' || word === 'STE') return position < last ? WORDS.get(word)!.nameForm! : 'STREET';
  if (word === 'DR' && position === 0 && last > 0) return 'DOCTOR';
  return name.infos[k]?.nameForm ?? word;
}

function joinName(a: number, b: number): string {
  let text = nameWord(a, 0, b - a - 1);
  for (let k = a + 1; k < b; k++) text += ' ' + nameWord(k, k - a, b - a - 1);
  return text;
}

/** COUNTY RD 5 N, N STATE HWY 116: a numbered road, with the directionals around it. */
function readHighway(primaryNumber: string, units: SecondaryUnit[]): StreetLine | undefined {
  const b = name.count;
  const pre = directionalAt(0);
  const first = pre === null ? 0 : 1;
  if (!name.infos[0]?.highwayStart && !(first === 1 && b > 1 && name.infos[1]?.highwayStart)) return undefined;
  const post = b > 1 ? directionalAt(b - 1) : null;
  for (let start = 0; start <= first; start++) {
    for (let end = b; end >= (post === null ? b : b - 1); end--) {
      const road = end - start >= 2 ? readNumberedHighway(name.words, start, end) : undefined;
      if (road !== undefined) {
        return { kind: 'street', primaryNumber, preDirectional: start === 1 ? pre! : '', streetName: road, suffix: '', postDirectional: end < b ? post! : '', units };
      }
    }
  }
  return undefined;
}

/**
 * name.words[k] and [k + 1] read as one secondary number: a letter and a number (M 9, 4 B) that
 * join as a unit's number does (joinsValue), neither a directional nor an ordinal.
 */
function isBareUnitPair(k: number): boolean {
  const a = name.words[k]!;
  const b = name.words[k + 1]!;
  if (directionalAt(k) !== null || directionalAt(k + 1) !== null || repairNumericOrdinal(a) !== undefined || repairNumericOrdinal(b) !== undefined) return false;
  return isUnitValue(a) && isUnitValue(b) && joinsValue(a, b);
}

/** words[k] is one letter that is not a directional (N, S, E, W) and the house number ends with a digit. */
function isNumberLetter(list: WordList, k: number): boolean {
  const word = list.words[k]!;
  const c = word.charCodeAt(0);
  return word.length === 1 && c >= 65 && c <= 90 && list.infos[k]?.directional == null && startsWithDigit(list.words[0]!.slice(-1));
}

/** Reads a street line from words[0..end); words[0] is known to be a house number. */
export function readStreetLine(list: WordList, end: number): StreetLine | AddressFailure {
  const words = list.words;
  let primaryNumber = words[0]!;
  let i = 1;
  const hyphen = primaryNumber.indexOf('-');
  if (hyphen > 0 && primaryNumber.indexOf('/') > hyphen) {
    // 101-1/2 is 101 1/2, not a Queens number
    primaryNumber = primaryNumber.slice(0, hyphen) + ' ' + primaryNumber.slice(hyphen + 1);
  } else if (i < end && isFraction(words[i]!)) {
    primaryNumber += ' ' + words[i]!;
    i++;
  } else if (i + 2 < end && isNumberLetter(list, i) && list.infos[i + 1]?.directional != null) {
    // 214 B SOUTH BLVD: a letter between the house number and a directional is the number's (214B,
    // as 214-B is), not a street B SOUTH
    primaryNumber += words[i]!;
    i++;
  }
  const unitStart = findUnitStart(list, i, end);
  if (unitStart === i) return failure('NO_STREET', `no street name after the house number ${primaryNumber}`);
  const units: SecondaryUnit[] = [];
  if (unitStart < end) {
    const unitFailure = readUnits(list, unitStart, end, units);
    if (unitFailure) return unitFailure;
  }

  readNameWords(list, i, unitStart);
  const highway = readHighway(primaryNumber, units);
  if (highway) return highway;

  let a = 0;
  let b = name.count;
  // 123 MAIN ST 4B: a number after the suffix or post-directional is the unit (# 4B)
  if (b >= 3) {
    const last = name.words[b - 1]!;
    if (isUnitValue(last) && directionalAt(b - 1) === null && repairNumericOrdinal(last) === undefined && (isSuffixAt(b - 2) || directionalAt(b - 2) !== null)) {
      units.push({ designator: POUND_DESIGNATOR, value: last });
      b--;
    } else if (b >= 4 && isBareUnitPair(b - 2) && (isSuffixAt(b - 3) || directionalAt(b - 3) !== null)) {
      // 50 S LASALLE ST M-9, 12 MAIN ST 4 B: a letter and a number after the suffix are one unit
      // (# M9, # 4B, as APT 4 B is), not name words after a SAINT; a name comes before the suffix
      units.push({ designator: POUND_DESIGNATOR, value: name.words[b - 2]! + name.words[b - 1]! });
      b -= 2;
    }
  }

  let postDirectional = '';
  const post = b - a >= 2 ? directionalAt(b - 1) : null;
  if (post !== null && canBeName(a, b - 1)) {
    postDirectional = post;
    b--;
  }

  let preDirectional = '';
  if (b - a >= 2) {
    const compound = b - a >= 3 ? compoundDirectional(name.words[a]!, name.words[a + 1]!) : undefined;
    const pre = directionalAt(a);
    if (compound !== undefined && canBeName(a + 2, b)) {
      preDirectional = compound;
      a += 2;
    } else if (pre !== null && canBeName(a + 1, b)) {
      preDirectional = pre;
      a++;
    }
  }

  let suffix = '';
  if (b - a >= 2) {
    const found = name.infos[b - 1]?.suffix;
    if (found) {
      suffix = found.abbreviation;
      b--;
    }
  }
  return { kind: 'street', primaryNumber, preDirectional, streetName: joinName(a, b), suffix, postDirectional, units };
}
