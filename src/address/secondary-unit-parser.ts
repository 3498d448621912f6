/**
 * Secondary units (Pub 28 §213): APT 4B, # 4B, STE 100, BLDG C, 3RD FL, REAR. Found at the end
 * of address1 or alone in address2.
 */
import { failure, type AddressFailure } from './address-status';
import type { WordList } from './address-tokenizer';
import { hasDigit, isDigitCode } from './characters';
import { POUND_DESIGNATOR, UNIT_DESIGNATORS, type UnitDesignator } from './pub28-unit-designators';
import { readSpelledOrdinal, repairNumericOrdinal } from './spelled-ordinals';

export interface SecondaryUnit {
  designator: UnitDesignator;
  /** The secondary number, `4B`; empty for designators that stand alone (REAR). */
  value: string;
}

const FLOOR = UNIT_DESIGNATORS.get('FL')!;

function designatorAt(list: WordList, k: number): UnitDesignator | null {
  if (list.words[k] === '#') return POUND_DESIGNATOR;
  return list.infos[k]?.unit ?? null;
}

/** NO, NUM, NUMBER: the word for `#`. */
function isNumberWord(list: WordList, k: number): boolean {
  const designator = list.infos[k]?.unit;
  return designator != null && designator.keyForm === '#' && designator.alsoAWord;
}

/**
 * A word that can be a secondary number: has a digit, or is one letter (APT B). Not an ordinal
 * written out as one (5TH, 21ST): those are street names or floors, and a name such as
 * `UNIT 5TH` must read the same when its canonical line is read again. (2D stays a unit.)
 */
export function isUnitValue(word: string): boolean {
  if (word.length === 1) return word !== '#';
  return hasDigit(word) && !isSpelledOrdinalNumber(word);
}

/** One letter A–Z. */
function isLetter(word: string): boolean {
  return word.length === 1 && !isDigitCode(word.charCodeAt(0)) && word !== '#';
}

function isSpelledOrdinalNumber(word: string): boolean {
  const n = word.length;
  if (n < 3 || !isDigitCode(word.charCodeAt(n - 3))) return false;
  const suffix = word.slice(n - 2);
  if (suffix !== 'ST' && suffix !== 'ND' && suffix !== 'RD' && suffix !== 'TH') return false;
  for (let i = 0; i < n - 2; i++) if (!isDigitCode(word.charCodeAt(i))) return false;
  return true;
}

/** The number after a designator that does not need one (PH A); a directional there is not one (REAR N). */
function isOptionalValue(list: WordList, k: number): boolean {
  return isUnitValue(list.words[k]!) && list.infos[k]?.directional == null;
}

/** FL 2ND, FLOOR SECOND: the floor number of an ordinal after the designator; else undefined. */
function floorNumber(list: WordList, j: number, end: number): { number: string; used: number } | undefined {
  const numeric = repairNumericOrdinal(list.words[j]!);
  if (numeric !== undefined) return { number: numeric.slice(0, -2), used: 1 };
  if (!list.infos[j]?.ordinalStart) return undefined;
  const spelled = readSpelledOrdinal(list.words, j, end);
  return spelled.used === 0 ? undefined : { number: spelled.ordinal.slice(0, -2), used: spelled.used };
}

/** The floor number of an ordinal (3RD, THIRD) when FL/FLOOR follows it; else undefined. */
function floorBefore(list: WordList, j: number, end: number): { number: string; used: number } | undefined {
  const numeric = repairNumericOrdinal(list.words[j]!);
  if (numeric !== undefined) {
    return j + 1 < end && designatorAt(list, j + 1) === FLOOR ? { number: numeric.slice(0, -2), used: 2 } : undefined;
  }
  if (!list.infos[j]?.ordinalStart) return undefined;
  const spelled = readSpelledOrdinal(list.words, j, end);
  if (spelled.used === 0 || j + spelled.used >= end || designatorAt(list, j + spelled.used) !== FLOOR) return undefined;
  return { number: spelled.ordinal.slice(0, -2), used: spelled.used + 1 };
}

/**
 * Where the secondary units begin in words[start..end) of a street line, or `end` when there
 * are none. The first word after the house number is never a unit (REAR ST, LOT RD are streets);
 * words such as LOT or FRONT are units only where a unit can be (LOT 7 at the end).
 */
export function findUnitStart(list: WordList, start: number, end: number): number {
  const { words, infos } = list;
  for (let j = start + 1; j < end; j++) {
    if (words[j] === '#') return j;
    const designator = infos[j]?.unit;
    if (!designator) continue;
    if (designator.ranged) {
      // OLD NUMBER 6 HWY: a designator that is also a word (NO, NUMBER), its number and then a
      // suffix that ends the line are a street's name, not a unit followed by a word no unit has
      if (designator.alsoAWord && j + 3 === end && infos[j + 2]?.suffix != null) continue;
      if (j + 1 < end) {
        const next = words[j + 1]!;
        if (isUnitValue(next) || next === '#' || isNumberWord(list, j + 1)) return j;
        if (designator === FLOOR && floorNumber(list, j + 1, end) !== undefined) return j; // FL 2ND
      }
      if (designator.alsoAWord) continue;
      if (j + 1 === end || designatorAt(list, j + 1)) {
        // 3RD FL, THIRD FLOOR: the unit begins at the ordinal
        if (designator === FLOOR) {
          for (let back = 1; back <= 4 && j - back > start; back++) if (floorBefore(list, j - back, end)?.used === back + 1) return j - back;
        }
        return j;
      }
    } else if (j + 1 === end || designatorAt(list, j + 1)) {
      return j;
    } else if (isOptionalValue(list, j + 1) && (j + 2 === end || designatorAt(list, j + 2))) {
      return j; // PH A, REAR 2: a number is allowed, not required
    }
  }
  return end;
}

/** Reads words[start..end) as units only, appending them to `units`; a failure names the first part that is not one. */
export function readUnits(list: WordList, start: number, end: number, units: SecondaryUnit[]): AddressFailure | undefined {
  const words = list.words;
  let j = start;
  while (j < end) {
    let designator = designatorAt(list, j);
    if (designator) {
      j++;
      if (!designator.ranged) {
        let value = '';
        while (j < end && !designatorAt(list, j) && isOptionalValue(list, j) && joinsValue(value, words[j]!)) value += words[j++];
        units.push({ designator, value });
        continue;
      }
      // APT # 4, UNIT NO 4: a pound sign or NO after a designator only repeats it
      while (j < end && (words[j] === '#' || isNumberWord(list, j))) j++;
      const floor = designator === FLOOR && j < end ? floorNumber(list, j, end) : undefined;
      if (floor !== undefined) {
        units.push({ designator, value: floor.number });
        j += floor.used;
        continue;
      }
    } else {
      const floor = floorBefore(list, j, end);
      if (floor) {
        units.push({ designator: FLOOR, value: floor.number });
        j += floor.used;
        continue;
      }
      if (!isUnitValue(words[j]!)) return failure('BAD_UNIT', `cannot read "${list.text(start, end)}" as a unit (APT 4B, STE 100, # 12, REAR)`);
      designator = POUND_DESIGNATOR;
    }
    let value = '';
    while (j < end && !designatorAt(list, j) && isUnitValue(words[j]!) && joinsValue(value, words[j]!)) value += words[j++];
    if (value === '') return failure('BAD_UNIT', `${designator.abbreviation} without a number`);
    if (designator === FLOOR) value = repairNumericOrdinal(value)?.slice(0, -2) ?? value;
    units.push({ designator, value });
  }
  return undefined;
}

/**
 * Whether `word` continues the secondary number read so far: 4 B → 4B, B 4 → B4; but A A is two
 * units, not AA (a value must read back as one), and 4 5 or 2 12E are two numbers, not 45 or 212E
 * (which would be another unit's number). The same for a designator whose number is optional
 * (REAR 9 7 is REAR 9 and # 7, not REAR 97).
 */
export function joinsValue(value: string, word: string): boolean {
  return value === '' || (isUnitValue(value + word) && (isLetter(value) || isLetter(word)));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Units in a fixed order (building, floor, unit, others; within one rank by designator and value)
 * without repeats, so writing order and the same unit in both lines do not matter.
 */
export function orderUnits(units: SecondaryUnit[]): SecondaryUnit[] {
  if (units.length < 2) return units;
  const sorted = [...units].sort((a, b) => a.designator.rank - b.designator.rank || compareText(a.designator.keyForm, b.designator.keyForm) || compareText(a.value, b.value));
  return sorted.filter((unit, i) => sorted.findIndex((other) => other.designator.keyForm === unit.designator.keyForm && other.value === unit.value) === i);
}
