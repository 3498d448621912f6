/**
 * Secondary units (Pub 28 §213): APT 4B, # 4B, STE 100, BLDG C, 3RD FL, REAR. Found at the end
 * of address1 or alone in address2.
 */
import { hasDigit, WORDS } from './address-words';
import { failure, type AddressFailure } from './address-status';
import { POUND_DESIGNATOR, type UnitDesignator } from './pub28-unit-designators';
import { readSpelledOrdinal, repairNumericOrdinal } from './spelled-ordinals';

export interface SecondaryUnit {
  designator: UnitDesignator;
  /** The secondary number, `4B`; empty for designators that stand alone (REAR). */
  value: string;
}

function designatorOf(token: string): UnitDesignator | null {
  if (token === '#') return POUND_DESIGNATOR;
  return WORDS.get(token)?.unit ?? null;
}

/** NO, NUM, NUMBER: the word for `#`. */
function isNumberWord(token: string): boolean {
  const designator = WORDS.get(token)?.unit;
  return designator !== undefined && designator !== null && designator.keyForm === '#' && designator.alsoAWord;
}

/** A token that can be a secondary number: has a digit, or is one letter (APT B). */
export function isUnitValue(token: string): boolean {
  return token.length === 1 ? token !== '#' : hasDigit(token);
}

/** The floor number of an ordinal (3RD, THIRD) when it is followed by FL/FLOOR; else undefined. */
function floorBefore(tokens: readonly string[], j: number, end: number): { number: string; used: number } | undefined {
  const numeric = repairNumericOrdinal(tokens[j]!);
  if (numeric !== undefined) {
    return j + 1 < end && designatorOf(tokens[j + 1]!)?.abbreviation === 'FL' ? { number: numeric.slice(0, -2), used: 2 } : undefined;
  }
  if (!WORDS.get(tokens[j]!)?.ordinalStart) return undefined;
  const spelled = readSpelledOrdinal(tokens, j, end);
  if (spelled.used === 0 || j + spelled.used >= end) return undefined;
  if (designatorOf(tokens[j + spelled.used]!)?.abbreviation !== 'FL') return undefined;
  return { number: spelled.ordinal.slice(0, -2), used: spelled.used + 1 };
}

/**
 * Where the secondary units begin in tokens[start..end) of a street line, or `end` when there
 * are none. The first word after the house number is never a unit (REAR ST, LOT RD are streets);
 * words such as LOT or FRONT are units only where a unit can be (LOT 7 at the end).
 */
export function findUnitStart(tokens: readonly string[], start: number, end: number): number {
  for (let j = start + 1; j < end; j++) {
    const token = tokens[j]!;
    if (token === '#') return j;
    const designator = WORDS.get(token)?.unit;
    if (!designator) continue;
    const next = j + 1 < end ? tokens[j + 1]! : undefined;
    if (designator.ranged) {
      if (next !== undefined && (isUnitValue(next) || next === '#' || designatorOf(next)?.keyForm === '#')) return j;
      if (designator.alsoAWord) continue;
      if (next === undefined || designatorOf(next)) {
        // 3RD FL: the unit begins at the ordinal
        if (designator.abbreviation === 'FL' && j - 1 > start && floorBefore(tokens, j - 1, end)) return j - 1;
        if (designator.abbreviation === 'FL' && j - 2 > start && floorBefore(tokens, j - 2, end)) return j - 2;
        return j;
      }
    } else if (next === undefined || designatorOf(next)) {
      return j;
    }
  }
  return end;
}

/**
 * Reads tokens[start..end) as units only, appending them to `units`. Returns a failure naming
 * the first part that is not a unit.
 */
export function readUnits(tokens: readonly string[], start: number, end: number, units: SecondaryUnit[]): AddressFailure | undefined {
  let j = start;
  while (j < end) {
    const token = tokens[j]!;
    let designator = designatorOf(token);
    if (designator) {
      j++;
      if (!designator.ranged) {
        units.push({ designator, value: '' });
        continue;
      }
      // APT # 4, UNIT NO 4: a pound sign or NO after a designator only repeats it
      while (j < end && (tokens[j] === '#' || isNumberWord(tokens[j]!))) j++;
    } else {
      const floor = floorBefore(tokens, j, end);
      if (floor) {
        units.push({ designator: designatorOf('FL')!, value: floor.number });
        j += floor.used;
        continue;
      }
      if (!isUnitValue(token)) return failure('BAD_UNIT', `cannot read "${tokens.slice(start, end).join(' ')}" as a unit (APT 4B, STE 100, # 12, REAR)`);
      designator = POUND_DESIGNATOR;
    }
    let value = '';
    while (j < end && !designatorOf(tokens[j]!) && isUnitValue(tokens[j]!)) value += tokens[j++];
    if (value === '') return failure('BAD_UNIT', `${designator.abbreviation} without a number`);
    if (designator.abbreviation === 'FL') value = repairNumericOrdinal(value)?.slice(0, -2) ?? value;
    units.push({ designator, value });
  }
  return undefined;
}

/** Units in a fixed order (building, floor, unit, others) without repeats, so writing order and the same unit in both lines do not matter. */
export function orderUnits(units: SecondaryUnit[]): SecondaryUnit[] {
  if (units.length < 2) return units;
  const sorted = [...units].sort((a, b) => a.designator.rank - b.designator.rank);
  return sorted.filter((unit, i) => sorted.findIndex((other) => other.designator.keyForm === unit.designator.keyForm && other.value === unit.value) === i);
}
