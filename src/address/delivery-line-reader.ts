/**
 * Reads the delivery line of an address from its address1 and address2 fields, wherever the
 * parts were put: units in address2 (or in address1 and repeated in address2), the street in
 * address2 when address1 holds a company or "c/o" name, a PO Box in address2.
 */
import { failure, isFailure, type AddressFailure } from './address-status';
import { tokenize, WordList } from './address-tokenizer';
import { readBoxLine, type BoxLine } from './box-address-parser';
import { hasDigit, isAllDigits } from './characters';
import { isUnitValue, orderUnits, readUnits, type SecondaryUnit } from './secondary-unit-parser';
import { repairNumericOrdinal } from './spelled-ordinals';
import { isPrimaryNumber, readStreetLine, type StreetLine } from './street-address-parser';

export type BoxDeliveryLine = BoxLine & { units: SecondaryUnit[] };
export type DeliveryLine = StreetLine | BoxDeliveryLine;

/** What one address field holds. */
const enum Holds {
  Nothing,
  NonAddress, // C/O Jane Smith, ATTN Billing
  Placeholder, // N/A, UNKNOWN
  Units,
  Line,
  Failure,
}

// Results of reading one field; module-level because keying is synchronous and runs per row.
class FieldReading {
  holds = Holds.Nothing;
  line: DeliveryLine | undefined = undefined;
  units: SecondaryUnit[] = [];
  failure: AddressFailure | undefined = undefined;
  readonly list = new WordList();

  reset(text: string | undefined): void {
    this.holds = Holds.Nothing;
    this.line = undefined;
    this.failure = undefined;
    this.list.count = 0;
    tokenize(text, this.list);
  }
}

function allPlaceholders(list: WordList): boolean {
  for (let k = 0; k < list.count; k++) if (!list.infos[k]?.placeholder) return false;
  return true;
}

function readUnitsOnly(field: FieldReading): AddressFailure | undefined {
  const units: SecondaryUnit[] = [];
  const unitFailure = readUnits(field.list, 0, field.list.count, units);
  if (unitFailure) return unitFailure;
  field.holds = Holds.Units;
  field.units = units;
  return undefined;
}

function fail(field: FieldReading, reason: AddressFailure): void {
  field.holds = Holds.Failure;
  field.failure = reason;
}

function readField(field: FieldReading, secondLine: boolean): void {
  const list = field.list;
  const end = list.count;
  if (end === 0) return;
  const first = list.words[0]!;
  const info = list.infos[0];
  if (info?.startsNonAddressLine) {
    field.holds = Holds.NonAddress;
    return;
  }
  if (info?.placeholder && allPlaceholders(list)) {
    field.holds = Holds.Placeholder;
    return;
  }
  const mayBeUnits = first === '#' || info?.unit != null || info?.ordinalStart === true || isUnitValue(first) || repairNumericOrdinal(first) !== undefined;
  if (secondLine && mayBeUnits && !readUnitsOnly(field)) return;
  if (isPrimaryNumber(first)) {
    if (end >= 2 && isGluedGridWord(first) && isGluedGridWord(list.words[1]!)) return readRewritten(field, secondLine, splitGridWords(list));
    const street = readStreetLine(list, end);
    if (isFailure(street)) return fail(field, street);
    field.holds = Holds.Line;
    field.line = street;
    return;
  }
  const rewritten = secondLine ? undefined : leadingPartsMoved(list);
  if (rewritten !== undefined) return readRewritten(field, secondLine, rewritten);
  if (isPrimaryNumber(first)) {
    const street = readStreetLine(list, end);
    if (isFailure(street)) return fail(field, street);
    field.holds = Holds.Line;
    field.line = street;
    return;
  }
  const box = readBoxLine(list.words, end);
  if (isFailure(box)) return fail(field, box);
  if (box) {
    field.holds = Holds.Line;
    field.line = { kind: box.kind, route: box.route, box: box.box, units: [] };
    return;
  }
  if (mayBeUnits) {
    const unitFailure = readUnitsOnly(field);
    if (!unitFailure) return;
    if (secondLine) return fail(field, unitFailure);
  }
  if (secondLine) return fail(field, failure('BAD_UNIT', `cannot read "${list.text()}" as a unit or an address`));
  fail(field, failure('NO_PRIMARY_NUMBER', `"${list.text()}" does not start with a house number`));
}

/** `52N`, `300W`: a grid number with its directional run into it. */
function isGluedGridWord(word: string): boolean {
  const last = word.charCodeAt(word.length - 1);
  return word.length >= 2 && (last === 78 || last === 83 || last === 69 || last === 87) && isAllDigits(word.slice(0, -1));
}

/** `52N 300W` → `52 N 300 W`: in a grid address both numbers carry a directional (Pub 28 §233). */
function splitGridWords(list: WordList): string {
  const words = list.words.slice(0, list.count);
  const [first, second] = [words[0]!, words[1]!];
  return [first.slice(0, -1), first.slice(-1), second.slice(0, -1), second.slice(-1), ...words.slice(2)].join(' ');
}

const SPELLED_HOUSE_NUMBERS: ReadonlyMap<string, string> = new Map(
  ['ONE', 'TWO', 'THREE', 'FOUR', 'FIVE', 'SIX', 'SEVEN', 'EIGHT', 'NINE', 'TEN', 'ELEVEN', 'TWELVE'].map((word, i) => [word, String(i + 1)]),
);

/**
 * Words that make what stands before a house number part of the address, not a name: Puerto
 * Rico's urbanizations, barrios and condominiums (Pub 28 §29) name the area a street is in, and
 * two of them in one ZIP can have the same street and number.
 */
export const PLACE_PART_WORDS: ReadonlySet<string> = new Set(['URB', 'URBANIZACION', 'CALLE', 'BO', 'BARRIO', 'BDA', 'BARRIADA', 'RES', 'RESIDENCIAL', 'COND', 'CONDOMINIO', 'EDIF', 'EDIFICIO', 'PARC', 'PARCELAS', 'SECTOR', 'EXT', 'JARD', 'JARDINES', 'VILLA', 'VILLAS', 'REPTO', 'REPARTO', 'COM', 'COMUNIDAD', 'ALT', 'ALTURAS', 'QTAS', 'QUINTAS', 'VIA', 'PASEO', 'CAMINO', 'CARR', 'CARRETERA']);

/** Words that cannot be part of a person's or company's name before a house number. */
function isAddressWord(list: WordList, k: number): boolean {
  const info = list.infos[k];
  const word = list.words[k]!;
  return info != null || hasDigit(word) || word === '#' || word === 'BOX' || word === 'PO' || word === 'RR' || word === 'HC';
}

/**
 * The line rewritten with its house number first, when it does not start with one but says it
 * plainly; else undefined:
 * - a unit before the house number (`#7 480 N Clark St`, `Apt 7, 480 N Clark St`): Pub 28 §213
 *   puts the secondary unit after the street, and so does the key;
 * - a name before it (`Acme Corp 480 N Clark St`): not an address part (Pub 28 §214 gives names
 *   and attention lines their own line), dropped when every word before the number is a plain word;
 * - a house number spelled out (`One 2nd St`, `Two Penn Plaza`): written as digits (§231), only
 *   when the rest ends in a street suffix, so `Two Rivers` is no house.
 */
function leadingPartsMoved(list: WordList): string | undefined {
  const { words, count } = list;
  const spelled = SPELLED_HOUSE_NUMBERS.get(words[0]!);
  if (spelled !== undefined && count >= 3 && endsInSuffixAndUnits(list)) return [spelled, ...words.slice(1, count)].join(' ');
  // the first house number after a unit or a name
  let at = 1;
  while (at < count && at <= 4 && !isPrimaryNumber(words[at]!)) at++;
  if (at >= count - 1 || at > 4 || !isPrimaryNumber(words[at]!)) return undefined;
  const designator = words[0] === '#' || list.infos[0]?.unit != null;
  if (designator) {
    // APT 7 480 …, # 7 480 …, APT # 7 480 …: one designator and one value before the number
    let j = 1;
    while (j < count && (words[j] === '#' || list.infos[j]?.unit?.keyForm === '#')) j++;
    if (j !== at - 1 && !(j === at && isPrimaryNumber(words[at]!) && at + 2 < count && isPrimaryNumber(words[at + 1]!))) return undefined;
    const unitEnd = j === at - 1 ? at : at + 1;
    return [...words.slice(unitEnd, count), ...words.slice(0, unitEnd)].join(' ');
  }
  for (let k = 0; k < at; k++) if (isAddressWord(list, k) || PLACE_PART_WORDS.has(words[k]!)) return undefined;
  let suffix = false;
  for (let k = at + 1; k < count; k++) if (list.infos[k]?.suffix != null) suffix = true;
  return suffix ? words.slice(at, count).join(' ') : undefined;
}

/** Whether the words end in a street suffix (not the first two words), or in one and then units (`… Park Ave 1st Floor`). */
function endsInSuffixAndUnits(list: WordList): boolean {
  const count = list.count;
  if (list.infos[count - 1]?.suffix != null) return true;
  for (let k = count - 2; k >= 2; k--) {
    if (list.infos[k]?.suffix == null) continue;
    const units: SecondaryUnit[] = [];
    return readUnits(list, k + 1, count, units) === undefined && units.length > 0;
  }
  return false;
}

/** Reads `text` in place of what the field held. */
function readRewritten(field: FieldReading, secondLine: boolean, text: string): void {
  field.reset(text);
  readField(field, secondLine);
}

function withUnits(line: DeliveryLine, units: SecondaryUnit[]): DeliveryLine | AddressFailure {
  if (units.length === 0) return line;
  if (line.kind !== 'street') return failure('BAD_UNIT', 'a PO Box, rural route or highway contract box has no apartment or suite');
  line.units = orderUnits([...line.units, ...units]);
  return line;
}

/** A box line that is `BOX 22` alone, without PO. */
function isBareBox(field: FieldReading): boolean {
  const first = field.list.words[0];
  return first === 'BOX' || first === 'BX';
}

function named(field: string, result: AddressFailure): AddressFailure {
  return failure(result.reason, `${field}: ${result.message}`);
}

const one = new FieldReading();
const two = new FieldReading();

/** The delivery line of address1 + address2, or why there is none. */
export function readDeliveryLine(address1: string | undefined, address2: string | undefined): DeliveryLine | AddressFailure {
  one.reset(address1);
  two.reset(address2);
  readField(one, false);
  readField(two, true);

  if (one.holds === Holds.Line) {
    const line = one.line!;
    if (two.holds === Holds.Line) {
      // A street and a box (Pub 28 §215, dual addresses): USPS delivers to the line just above the
      // city line, address2. Two streets or two boxes are two delivery points.
      if ((line.kind === 'street') !== (two.line!.kind === 'street')) return two.line!;
      return failure('UNREADABLE', `address1 and address2 are two different ${line.kind === 'street' ? 'street addresses' : 'boxes'}`);
    }
    if (two.holds === Holds.Units) return withUnits(line, two.units);
    if (two.holds === Holds.Failure) return named('address2', two.failure!);
    if (line.units.length > 1) line.units = orderUnits(line.units);
    return line;
  }
  if (two.holds === Holds.Line && !(one.holds === Holds.Failure && one.failure!.reason !== 'NO_PRIMARY_NUMBER')) {
    // address1 is a company, a name or the unit; the street is in address2
    return one.holds === Holds.Units ? withUnits(two.line!, one.units) : two.line!;
  }
  if (one.holds === Holds.Failure && one.failure!.reason === 'NO_BOX_NUMBER' && two.holds === Holds.Line && two.line!.kind === 'po-box' && isBareBox(two)) {
    // RR 4 / BOX 22: the route's box number on the second line (Pub 28 §241 writes them on one)
    const route = readBoxLine([...one.list.words.slice(0, one.list.count), ...two.list.words.slice(0, two.list.count)], one.list.count + two.list.count);
    if (route !== undefined && !isFailure(route)) return { kind: route.kind, route: route.route, box: route.box, units: [] };
  }
  if (one.holds === Holds.Failure) return named('address1', one.failure!);
  if (two.holds === Holds.Failure) return named('address2', two.failure!);
  if (one.holds === Holds.Nothing && address1 !== undefined && address1.trim() !== '') {
    return failure('UNREADABLE', `address1: "${address1.trim()}" has no letters or digits`);
  }
  if (one.holds === Holds.Placeholder) return failure('UNREADABLE', `address1: "${address1?.trim()}" is a placeholder, not an address`);
  if (one.holds === Holds.Units || two.holds === Holds.Units) return failure('NO_STREET', 'only a unit, no street address');
  return failure('NO_STREET', 'no street address');
}
