/**
 * Reads the delivery line of an address from its address1 and address2 fields, wherever the
 * parts were put: units in address2 (or in address1 and repeated in address2), the street in
 * address2 when address1 holds a company or "c/o" name, a PO Box in address2.
 */
import { failure as failureExport, isFailure as isFailureExport, type AddressFailure } from './address-status';
import { tokenize as tokenizeExport, WordList } from './address-tokenizer';
import { readBoxLine as readBoxLineExport, type BoxLine } from './box-address-parser';
import { isUnitValue as isUnitValueExport, orderUnits as orderUnitsExport, readUnits as readUnitsExport, type SecondaryUnit } from './secondary-unit-parser';
import { repairNumericOrdinal as repairNumericOrdinalExport } from './spelled-ordinals';
import { isPrimaryNumber as isPrimaryNumberExport, readStreetLine as readStreetLineExport, type StreetLine } from './street-address-parser';

// Imported functions read once: under tsx (esbuild's CommonJS output) every use of an imported
// binding is a getter call on the other module, which shows in code that runs for every row.
const failure = failureExport;
const isFailure = isFailureExport;
const tokenize = tokenizeExport;
const readBoxLine = readBoxLineExport;
const isUnitValue = isUnitValueExport;
const orderUnits = orderUnitsExport;
const readUnits = readUnitsExport;
const repairNumericOrdinal = repairNumericOrdinalExport;
const isPrimaryNumber = isPrimaryNumberExport;
const readStreetLine = readStreetLineExport;

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

function withUnits(line: DeliveryLine, units: SecondaryUnit[]): DeliveryLine | AddressFailure {
  if (units.length === 0) return line;
  if (line.kind !== 'street') return failure('BAD_UNIT', 'a PO Box, rural route or highway contract box has no apartment or suite');
  line.units = orderUnits([...line.units, ...units]);
  return line;
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
  if (one.holds === Holds.Failure) return named('address1', one.failure!);
  if (two.holds === Holds.Failure) return named('address2', two.failure!);
  if (one.holds === Holds.Nothing && address1 !== undefined && address1.trim() !== '') {
    return failure('UNREADABLE', `address1: "${address1.trim()}" has no letters or digits`);
  }
  if (one.holds === Holds.Placeholder) return failure('UNREADABLE', `address1: "${address1?.trim()}" is a placeholder, not an address`);
  if (one.holds === Holds.Units || two.holds === Holds.Units) return failure('NO_STREET', 'only a unit, no street address');
  return failure('NO_STREET', 'no street address');
}
